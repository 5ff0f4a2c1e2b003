"""Joins the partner search index (0010_search_sqlite_index) and the dashboard's kept
status (0010_dashboard_status_screening_company, 0011). On SQLite adding the status column
rebuilds the partners table, which drops the search index's triggers when the index came
first; building the index again (idempotent) restores them whichever order ran."""

from __future__ import annotations

from django.db import migrations

from core.trigram import sqlite_trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0010_search_sqlite_index"),
        ("partners", "0011_screening_company_indexes"),
    ]

    operations = [
        sqlite_trigram_index(
            "partner_search_trgm",
            "partners_businesspartner",
            ["name", "city", "tax_id", "contact_name"],
        )
    ]
