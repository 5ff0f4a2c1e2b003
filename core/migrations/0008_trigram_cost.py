"""Tell PostgreSQL's planner what pg_trgm's word-similarity operators cost.

pg_trgm declares `%>` / `<%` at the default cost of 1 (as cheap as `=`), so for a search
at a 50,000-partner company the planner read the whole table and compared every row
(1.3 s at bench/search.py) rather than the trigram index (about 0.3 s). A cost of 100
says what a word-similarity comparison really costs. The extension's functions belong to
whoever created it: when that was not this database user, the statement is skipped with
a notice (run it as the owner). Nothing on SQLite."""

from __future__ import annotations

from django.db import migrations

from core.trigram import RunOnPostgreSQL


def _cost(cost: int) -> str:
    return f"""
DO $$
BEGIN
    ALTER FUNCTION word_similarity_op(text, text) COST {cost};
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST {cost};
EXCEPTION WHEN insufficient_privilege OR undefined_function THEN
    RAISE NOTICE 'pg_trgm word-similarity cost left as it is: %', SQLERRM;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0007_pg_trgm")]

    operations = [RunOnPostgreSQL(_cost(100), _cost(1))]
