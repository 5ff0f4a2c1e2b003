"""Trigram matching (PostgreSQL's pg_trgm) for searches that must forgive typos and find
part of a word, and the migration pieces that index for it.

On PostgreSQL a word matches a column when the column contains it (`ILIKE '%word%'`) or
holds a word close to it (`column %> 'word'`: pg_trgm's word similarity at or above
`pg_trgm.word_similarity_threshold`, which `forgiving()` lowers from pg_trgm's 0.6 to
`WORD_SIMILARITY` for the transaction: "trasnportes" finds "Transportes", "zamroa"
finds "Zamora"). Both are answered by one GIN index with `gin_trgm_ops` over the searched
columns (`trigram_index`), so a search of a tenant with 50,000 partners reads the index,
not the table.

On SQLite a word matches a column when the column contains it. A source with a search
index (`sqlite_trigram_index`: an FTS5 table with the trigram tokenizer, of the same name
as the PostgreSQL index, kept by triggers on the source's table) answers a word of three
or more characters from that table, so a word that no row holds costs a few index pages,
not a read of 200,000 rows. Words held by many rows (`FTS_PROBE`), shorter words, and a
SQLite without FTS5's trigram tokenizer use `icontains` (LIKE), which walks the list in
its order and stops at the page. Both find the rows that contain the word (case folded).

The indexes live in migrations only (not in the models' `Meta`): a GIN index cannot be
created on SQLite, nor an FTS5 table on PostgreSQL; `makemigrations` never sees them.
Django rebuilds a SQLite table for some schema changes, which drops its triggers:
a migration that alters a searched table must run its `sqlite_trigram_index` again
(portal/tests/test_search.py checks that every search index's triggers exist).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from functools import cache, reduce
from operator import or_
from typing import Any

from django.db import connection, migrations, models, transaction
from django.db.models import F, Value

# Words with fewer letters than this match by containment only: their trigrams
# are too few to say that two words are alike (pg_trgm ignores other characters).
MIN_FUZZY_LENGTH = 3
# How alike a word must be to a word of the field (pg_trgm's word similarity, 0 to 1). At
# pg_trgm's default 0.6 a swap of two letters in an 11-letter word ("trasnportes", 0.5) is
# not found; at 0.4 it is, and a word of a different stem is not ("transportadora" for
# "transportes" is found by containment anyway).
WORD_SIMILARITY = 0.4
# FTS5's trigram tokenizer finds substrings of at least three characters.
MIN_FTS_LENGTH = 3
# A search the FTS5 index answers with at most this many rows (of every company) reads
# those rows by id; a broader one is left to LIKE (`_fts_ids`).
FTS_PROBE = 500


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


def is_fuzzy(word: str) -> bool:
    """Whether a word may also match words close to it: a word of letters long enough to
    have trigrams to compare. A word with a digit is a number (a seal, container, tax id)
    and matches only where it is contained: a number one digit off is another record, and
    "0001" is close to most numbered names (10,000 of 50,000 partners at the crawl's
    tenant, each then ranked)."""
    return sum(c.isalpha() for c in word) >= MIN_FUZZY_LENGTH and not any(c.isdigit() for c in word)


@cache
def sqlite_has_fts_trigram() -> bool:
    """Whether this SQLite library has FTS5 with the trigram tokenizer (SQLite 3.34+)."""
    try:
        with closing(sqlite3.connect(":memory:")) as db:
            db.execute("CREATE VIRTUAL TABLE probe USING fts5(a, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


def _fts_ready(index: str) -> bool:
    return bool(index) and connection.vendor == "sqlite" and sqlite_has_fts_trigram()


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_ids(index: str, columns: Iterable[str], words: Iterable[str]) -> list[int] | None:
    """The ids of the rows whose `columns` (of the index) contain every word, or None
    when more than `FTS_PROBE` rows (of any company) do.

    A narrow search then reads just those rows and sorts them. A broad one is left to
    LIKE, which walks the list in its order and soon meets enough matches to fill the
    page. (Given the MATCH as a subquery, SQLite cannot know how many rows it gives: it
    walks the company's rows in the list's order testing each, which reads all 200,000
    inspections for a word that none holds, or first reads all the matches of a broad
    word.)"""
    wanted = " ".join(f'"{c}"' for c in columns)
    expression = " AND ".join(f"{{{wanted}}} : {_fts_phrase(w)}" for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s LIMIT %s',
            [expression, FTS_PROBE + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= FTS_PROBE else None


def _ilike(names: Iterable[str], word: str) -> models.Q:
    pattern = f"%{connection.ops.prep_for_like_query(word)}%"
    return reduce(or_, (models.Q(ILike(F(name), Value(pattern))) for name in names))


def contains_all(fields: Iterable[str], words: Iterable[str], index: str = "") -> models.Q:
    """Every word is in one of `fields` (case folded), answered by the search index
    `index` where there is one: on PostgreSQL `ILIKE` (which the GIN trigram index
    answers, where `icontains`' `UPPER(column)` cannot be), on SQLite the FTS5 table
    for the words it can (see the module's docstring); LIKE otherwise."""
    names, words = list(fields), list(words)
    if not words:
        return models.Q()
    if index and is_postgresql():
        return reduce(lambda a, b: a & b, (_ilike(names, w) for w in words))
    like = [w for w in words if not _fts_ready(index) or len(w) < MIN_FTS_LENGTH]
    indexed = [w for w in words if w not in like]
    conditions = []
    if indexed:
        ids = _fts_ids(index, names, indexed)
        if ids is None:
            like = words
        else:
            conditions.append(models.Q(pk__in=ids))
    conditions += [
        reduce(or_, (models.Q(**{f"{name}__icontains": word}) for name in names)) for word in like
    ]
    return reduce(lambda a, b: a & b, conditions)


def word_matches(fields: Iterable[str], word: str) -> models.Q:
    """`word` is in, or close to a word of, one of `fields` (trigram on PostgreSQL, LIKE
    elsewhere; `contains_all` reads SQLite's search index)."""
    names = list(fields)
    if not is_postgresql():
        return contains_all(names, [word])
    from django.contrib.postgres.lookups import TrigramWordSimilar

    conditions = [_ilike(names, word)]
    if is_fuzzy(word):
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


class RunOnSQLiteWithFTS(migrations.RunSQL):
    """`RunSQL` that runs on a SQLite with FTS5's trigram tokenizer (nothing elsewhere)."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "sqlite" and sqlite_has_fts_trigram():
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "sqlite" and sqlite_has_fts_trigram():
            super().database_backwards(app_label, schema_editor, *args)


def sqlite_trigram_triggers(name: str) -> list[str]:
    """The names of the triggers that keep the search index `name`."""
    return [f"{name}_{event}" for event in ("insert", "delete", "update")]


def sqlite_trigram_index(name: str, table: str, columns: Iterable[str]) -> RunOnSQLiteWithFTS:
    """A migration operation: the SQLite search index `name` over `columns` of `table`
    (an external-content FTS5 table with the trigram tokenizer, filled from the table and
    kept by insert, delete and update triggers). Idempotent: run it again after a
    migration that rebuilds `table` (which drops the triggers)."""
    cols = list(columns)
    quoted = ", ".join(f'"{c}"' for c in cols)
    new = ", ".join(f'new."{c}"' for c in cols)
    old = ", ".join(f'old."{c}"' for c in cols)
    add = f'INSERT INTO "{name}"(rowid, {quoted}) VALUES (new."id", {new});'
    remove = (
        f'INSERT INTO "{name}"("{name}", rowid, {quoted}) VALUES (\'delete\', old."id", {old});'
    )
    on_insert, on_delete, on_update = sqlite_trigram_triggers(name)
    forwards = [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{name}" USING fts5({quoted}, '
        f"content='{table}', content_rowid='id', tokenize='trigram')",
        f'DROP TRIGGER IF EXISTS "{on_insert}"',
        f'DROP TRIGGER IF EXISTS "{on_delete}"',
        f'DROP TRIGGER IF EXISTS "{on_update}"',
        f'CREATE TRIGGER "{on_insert}" AFTER INSERT ON "{table}" BEGIN {add} END',
        f'CREATE TRIGGER "{on_delete}" AFTER DELETE ON "{table}" BEGIN {remove} END',
        f'CREATE TRIGGER "{on_update}" AFTER UPDATE OF {quoted} ON "{table}" '
        f"BEGIN {remove} {add} END",
        f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')',
    ]
    backwards = [
        f'DROP TRIGGER IF EXISTS "{on_insert}"',
        f'DROP TRIGGER IF EXISTS "{on_delete}"',
        f'DROP TRIGGER IF EXISTS "{on_update}"',
        f'DROP TABLE IF EXISTS "{name}"',
    ]
    return RunOnSQLiteWithFTS(tuple(forwards), tuple(backwards))
