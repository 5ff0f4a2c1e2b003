"""The global search: finds the company's records of each kind, never another company's,
in a fixed number of queries, and says so when the query is too long."""

from __future__ import annotations

import datetime
from unittest import skipUnless
from unittest.mock import patch

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import CorrectiveAction
from incidents.workflow import open_incident
from partners.models import BusinessPartner
from portal.testing import PersonaTestCase
from seals.models import Seal


class SearchTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        BusinessPartner.objects.create(
            company=self.company, name="Transportes Lobo SA", role="highway_carrier", country="MX"
        )
        BusinessPartner.objects.create(
            company=self.other_company, name="Lobo Logistics", role="highway_carrier", country="MX"
        )
        CorrectiveAction.objects.create(
            company=self.company, title="Repair the lobo gate lock", status="open",
            due_date=datetime.date(2020, 1, 1),
        )  # fmt: skip
        open_incident(
            self.company, kind="tampering", title="Lock cut", description="Seal of lobo trailer."
        )

    def url(self, q: str) -> str:
        return reverse("search", args=[self.company.pk]) + f"?q={q}"

    def test_finds_each_kind_of_the_company_only(self) -> None:
        self.login("viewer")
        page = self.client.get(self.url("lobo"))
        self.assertContains(page, "Transportes Lobo SA")
        self.assertContains(page, "Repair the lobo gate lock")
        self.assertContains(page, "Lock cut")
        self.assertNotContains(page, "Lobo Logistics")

    def test_every_word_must_match(self) -> None:
        self.login("viewer")
        page = self.client.get(self.url("lobo transportes"))
        self.assertContains(page, "Transportes Lobo SA")
        self.assertNotContains(page, "Repair the lobo gate lock")

    def test_another_company_answers_404(self) -> None:
        self.login("viewer")
        url = reverse("search", args=[self.other_company.pk]) + "?q=lobo"
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_nothing_found_and_too_long_are_said(self) -> None:
        self.login("viewer")
        self.assertContains(self.client.get(self.url("zzzz")), "Nothing found for")
        self.assertContains(self.client.get(self.url("x" * 101)), "type at most 100 characters")

    def test_the_query_count_does_not_grow_with_hits(self) -> None:
        self.login("viewer")
        self.client.get(self.url("lobo"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url("lobo"))
        for i in range(30):
            BusinessPartner.objects.create(
                company=self.company, name=f"Lobo {i}", role="highway_carrier", country="MX"
            )
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(self.url("lobo"))
        self.assertContains(page, "More found")
        self.assertEqual(len(few), len(many))


class TrigramSearchTests(PersonaTestCase):
    """Typos and parts of words (pg_trgm on PostgreSQL; SQLite finds parts of words)."""

    def setUp(self) -> None:
        super().setUp()
        BusinessPartner.objects.create(
            company=self.company, name="Transportes Lobo SA", role="highway_carrier", country="MX"
        )
        BusinessPartner.objects.create(
            company=self.other_company, name="Transportes Norte", role="highway_carrier"
        )
        CorrectiveAction.objects.create(
            company=self.company, title="Replace the padlock of dock 3", status="open"
        )
        self.login("viewer")

    def search(self, q: str) -> str:
        url = reverse("search", args=[self.company.pk])
        return self.client.get(url, {"q": q}).content.decode()

    def test_part_of_a_word_finds_on_every_database(self) -> None:
        page = self.search("sporte")
        self.assertIn("Transportes Lobo SA", page)
        self.assertNotIn("Transportes Norte", page)
        self.assertIn("Replace the padlock", self.search("padlo"))

    def test_a_percent_or_underscore_is_a_character_not_a_wildcard(self) -> None:
        self.assertIn("Nothing found for", self.search("%"))
        self.assertIn("Nothing found for", self.search("_o_"))

    @skipUnless(connection.vendor == "postgresql", "pg_trgm is PostgreSQL's")
    def test_a_typo_still_finds_on_postgresql_and_never_another_company(self) -> None:
        page = self.search("trasnportes")
        self.assertIn("Transportes Lobo SA", page)
        self.assertNotIn("Transportes Norte", page)
        self.assertIn("Replace the padlock", self.search("padlok dock"))
        self.assertIn("Nothing found for", self.search("zebra"))

    def test_a_number_matches_only_where_it_is_contained(self) -> None:
        # On PostgreSQL too: a seal one digit off is another seal, not a typo.
        Seal.objects.create(
            company=self.company, number="MX00012345", manufacturer="Acme",
            certificate_ref="C-1", storage_location="Safe",
        )  # fmt: skip
        self.assertIn("MX00012345", self.search("00012345"))
        self.assertIn("MX00012345", self.search("mx0001"))
        self.assertIn("Nothing found for", self.search("MX00012346"))
        self.assertIn("Nothing found for", self.search("00012354"))

    @skipUnless(connection.vendor == "postgresql", "pg_trgm is PostgreSQL's")
    def test_the_closest_hit_comes_first(self) -> None:
        BusinessPartner.objects.create(
            company=self.company, name="Transportadora Lopez", role="highway_carrier"
        )
        page = self.search("transportes")
        self.assertLess(page.index("Transportes Lobo SA"), page.index("Transportadora Lopez"))

    @skipUnless(connection.vendor == "postgresql", "pg_trgm is PostgreSQL's")
    def test_the_search_can_be_answered_from_the_trigram_index(self) -> None:
        from core.trigram import word_matches
        from portal.search import SOURCES

        # Few rows: the planner would read the table (or the company's rows); without the
        # company and with table reads forbidden, the plan shows that the trigram index
        # answers every condition of a word (bench/search.py shows it at 50,000 partners).
        matches = word_matches(SOURCES[0].fields, "trasnportes")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = BusinessPartner.objects.filter(matches).explain()
        self.assertIn("partner_search_trgm", plan)
        self.assertNotIn("Seq Scan", plan)


class SearchIndexTests(PersonaTestCase):
    """The search follows every change of the rows (on SQLite through the FTS5 trigram
    tables that triggers keep), and a word of three or more characters is answered by the
    index, not by LIKE over every row."""

    def setUp(self) -> None:
        super().setUp()
        self.partner = BusinessPartner.objects.create(
            company=self.company, name="Transportes Lobo SA", role="highway_carrier"
        )
        self.login("viewer")

    def search(self, q: str) -> str:
        url = reverse("search", args=[self.company.pk])
        return self.client.get(url, {"q": q}).content.decode()

    def test_a_renamed_or_deleted_row_is_found_as_it_is_now(self) -> None:
        self.partner.name = "Fletes Zorro SA"
        self.partner.save()
        self.assertIn("Nothing found for", self.search("lobo"))
        self.assertIn("Fletes Zorro SA", self.search("zorro fletes"))
        BusinessPartner.objects.filter(pk=self.partner.pk).update(city="Saltillo")
        self.assertIn("Fletes Zorro SA", self.search("saltillo zorro"))
        self.partner.delete()
        self.assertIn("Nothing found for", self.search("zorro"))

    def test_a_short_word_and_any_case_are_found(self) -> None:
        self.assertIn("Transportes Lobo SA", self.search("sa LOBO"))
        self.assertIn("Nothing found for", self.search("sa zorro"))

    @skipUnless(connection.vendor == "sqlite", "the FTS5 tables are SQLite's")
    def test_a_long_word_is_answered_by_the_index_on_sqlite(self) -> None:
        from core.trigram import sqlite_has_fts_trigram

        if not sqlite_has_fts_trigram():
            self.skipTest("this SQLite has no FTS5 trigram tokenizer")
        with CaptureQueriesContext(connection) as queries:
            page = self.search("lobo")
        self.assertIn("Transportes Lobo SA", page)
        sql = [q["sql"] for q in queries]
        self.assertTrue(any('FROM "partner_search_trgm" WHERE' in q for q in sql))
        partner_rows = [q for q in sql if q.startswith('SELECT "partners_businesspartner"')]
        self.assertEqual(len(partner_rows), 1)
        self.assertIn(f'"partners_businesspartner"."id" IN ({self.partner.pk})', partner_rows[0])
        self.assertNotIn("LIKE", partner_rows[0])

    @skipUnless(connection.vendor == "sqlite", "the FTS5 tables are SQLite's")
    def test_a_word_many_rows_hold_is_read_in_the_lists_order_on_sqlite(self) -> None:
        # Past FTS_PROBE matches, LIKE walks the list in its order and stops at the page.
        from core import trigram

        BusinessPartner.objects.create(
            company=self.company, name="Almacenes Lobo", role="warehouse"
        )
        with patch.object(trigram, "FTS_PROBE", 1):
            with CaptureQueriesContext(connection) as queries:
                page = self.search("lobo")
        self.assertLess(page.index("Almacenes Lobo"), page.index("Transportes Lobo SA"))
        partner_rows = [q["sql"] for q in queries if q["sql"].startswith('SELECT "partners_')]
        self.assertIn("LIKE", partner_rows[0])

    @skipUnless(connection.vendor == "sqlite", "the FTS5 tables are SQLite's")
    def test_every_search_index_has_its_table_and_triggers_on_sqlite(self) -> None:
        # A migration that rebuilds a searched table (some AlterFields on SQLite) drops
        # its triggers; it must run `sqlite_trigram_index` again.
        from core.trigram import sqlite_has_fts_trigram, sqlite_trigram_triggers
        from portal.search import SOURCES

        if not sqlite_has_fts_trigram():
            self.skipTest("this SQLite has no FTS5 trigram tokenizer")
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
            triggers = dict(cursor.fetchall())
        indexed = [s for s in SOURCES if s.index]
        self.assertEqual(len(indexed), 5)
        for source in indexed:
            self.assertIn(source.index, connection.introspection.table_names())
            for trigger in sqlite_trigram_triggers(source.index):
                self.assertEqual(triggers.get(trigger), source.model._meta.db_table, trigger)
