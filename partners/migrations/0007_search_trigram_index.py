"""A trigram index for the global search (`core.trigram`): typos and parts of words are
found through the index, not by reading every row. PostgreSQL only."""

from __future__ import annotations

from django.db import migrations

from core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_partnerimport_screening_parts_left"), ("core", "0007_pg_trgm")]

    operations = [trigram_index("partner_search_trgm", "partners_businesspartner", ["name", "city", "tax_id", "contact_name"])]
