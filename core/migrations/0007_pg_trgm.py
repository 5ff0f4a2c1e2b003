"""pg_trgm on PostgreSQL, for the global search's trigram indexes (`core.trigram`);
nothing on SQLite."""

from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0006_merge_0005_export_job_0005_scheduledrun")]

    operations = [TrigramExtension()]
