"""Trigram matching (PostgreSQL's pg_trgm) for searches that must forgive typos and find
part of a word, and the migration pieces that index for it.

On PostgreSQL a word matches a column when the column contains it (`ILIKE '%word%'`) or
holds a word close to it (`column %> 'word'`: pg_trgm's word similarity at or above
`pg_trgm.word_similarity_threshold`, which `forgiving()` lowers from pg_trgm's 0.6 to
`WORD_SIMILARITY` for the transaction: "trasnportes" finds "Transportes", "zamroa"
finds "Zamora"). Both are answered by one GIN index with `gin_trgm_ops` over the searched
columns (`trigram_index`), so a search of a tenant with 50,000 partners reads the index,
not the table. On SQLite the same calls fall back to `icontains` (LIKE), and the
migration pieces do nothing.

The indexes live in migrations only (not in the models' `Meta`), because a GIN index
cannot be created on SQLite; `makemigrations` therefore never sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, migrations, models, transaction
from django.db.models import F, Value

# Words with fewer letters or digits than this match by containment only: their trigrams
# are too few to say that two words are alike (pg_trgm ignores other characters).
MIN_FUZZY_LENGTH = 3
# How alike a word must be to a word of the field (pg_trgm's word similarity, 0 to 1). At
# pg_trgm's default 0.6 a swap of two letters in an 11-letter word ("trasnportes", 0.5) is
# not found; at 0.4 it is, and a word of a different stem is not ("transportadora" for
# "transportes" is found by containment anyway).
WORD_SIMILARITY = 0.4


class ILike(models.Lookup[Any]):
    """`lhs ILIKE rhs` (PostgreSQL); Django's `icontains` compares `UPPER(lhs)`, which a
    trigram index on the column itself cannot answer."""

    lookup_name = "trigram_ilike"

    def as_sql(self, compiler: Any, conn: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, conn)
        rhs, rhs_params = self.process_rhs(compiler, conn)
        return f"{lhs}::text ILIKE {rhs}", (*lhs_params, *rhs_params)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def forgiving() -> Iterator[None]:
    """A transaction in which `word_matches` uses `WORD_SIMILARITY` (PostgreSQL; one
    `SET LOCAL`, so no other query of the connection is affected). Nothing elsewhere."""
    with transaction.atomic():
        if is_postgresql():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET LOCAL pg_trgm.word_similarity_threshold = %s", [WORD_SIMILARITY]
                )
        yield


def word_matches(fields: Iterable[str], word: str) -> models.Q:
    """`word` is in, or close to a word of, one of `fields` (trigram on PostgreSQL, LIKE
    elsewhere)."""
    names = list(fields)
    if not is_postgresql():
        return reduce(or_, (models.Q(**{f"{name}__icontains": word}) for name in names))
    from django.contrib.postgres.lookups import TrigramWordSimilar

    pattern = f"%{connection.ops.prep_for_like_query(word)}%"
    conditions = [models.Q(ILike(F(name), Value(pattern))) for name in names]
    if sum(c.isalnum() for c in word) >= MIN_FUZZY_LENGTH:
        conditions += [models.Q(TrigramWordSimilar(F(name), Value(word))) for name in names]
    return reduce(or_, conditions)


def closeness(fields: Iterable[str], words: Iterable[str]) -> Any:
    """How close the row is to the words (PostgreSQL): for each word its best word
    similarity over the fields, summed. Used to put the closest hits first."""
    from django.contrib.postgres.search import TrigramWordSimilarity
    from django.db.models.functions import Coalesce, Greatest

    names = list(fields)
    per_word: list[Any] = []
    for word in words:
        scores = [Coalesce(TrigramWordSimilarity(word, name), 0.0) for name in names]
        per_word.append(Greatest(*scores) if len(scores) > 1 else scores[0])
    return reduce(lambda a, b: a + b, per_word)


class RunOnPostgreSQL(migrations.RunSQL):
    """`RunSQL` that runs on PostgreSQL only (nothing happens on SQLite)."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


def trigram_index(name: str, table: str, columns: Iterable[str]) -> RunOnPostgreSQL:
    """A migration operation: one GIN index with `gin_trgm_ops` over `columns` of
    `table` (PostgreSQL only; needs `core.0007_pg_trgm`)."""
    opclasses = ", ".join(f'"{column}" gin_trgm_ops' for column in columns)
    return RunOnPostgreSQL(
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({opclasses})',
        f'DROP INDEX IF EXISTS "{name}"',
    )
