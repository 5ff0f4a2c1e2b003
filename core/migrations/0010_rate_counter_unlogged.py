"""Rate counters on PostgreSQL in an UNLOGGED table: a count is written on every counted
request (the public status look-up above all), and writing it to the write-ahead log made
each request wait for a WAL flush. After a crash the server empties an unlogged table:
the counts start again, which a rate limit can afford. A streaming replica does not
receive an unlogged table's rows; the counters are only read and written on the primary
(`core.ratelimit` uses the write database, also under DATABASE_REPLICA_URL). Nothing
changes on SQLite."""

from django.db import migrations


def unlogged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET UNLOGGED")


def logged(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0009_merge_0007_rate_counter_0008_trigram_cost")]

    operations = [migrations.RunPython(unlogged, logged, elidable=False)]
