"""A trigram index for the global search (`core.trigram`): typos and parts of words are
found through the index, not by reading every row. PostgreSQL only."""

from __future__ import annotations

from django.db import migrations

from core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_report_link_for_every_company"), ("core", "0007_pg_trgm")]

    operations = [trigram_index("incident_search_trgm", "incidents_incident", ["title", "description", "location"])]
