"""The global search's index on SQLite (`core.trigram`): a word of three or more
characters is found through an FTS5 trigram table kept by triggers, not by reading every
row with LIKE. SQLite only (PostgreSQL has the GIN index of the same name)."""

from __future__ import annotations

from django.db import migrations

from core.trigram import sqlite_trigram_index


class Migration(migrations.Migration):
    dependencies = [("partners", "0009_list_and_latest_screening_indexes")]

    operations = [
        sqlite_trigram_index(
            "partner_search_trgm",
            "partners_businesspartner",
            ["name", "city", "tax_id", "contact_name"],
        )
    ]
