"""A new list version re-screens every company's partners against its changes only."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.urls import reverse

from partners import workflow
from partners.models import BusinessPartner, FalsePositive, PartnerScreening
from portal.testing import PersonaTestCase
from screening.index import clear_cache, default_lists_dir
from screening_engine import ScreeningIndex


class RescreeningTests(PersonaTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.addCleanup(clear_cache)
        self.lines = (
            (default_lists_dir() / "bis_dpl_2022-09-07" / "dpl.txt")
            .read_text()
            .splitlines(keepends=True)
        )

    def load(self, lines: list[str], folder: str) -> None:
        path = self.tmp / folder
        path.mkdir()
        (path / "dpl.txt").write_text("".join(lines))
        call_command("load_watchlists", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    def partner(self, name: str, country: str, company: Any = None) -> BusinessPartner:
        partner = BusinessPartner.objects.create(
            company=company or self.company, name=name, role="manufacturer", country=country
        )
        workflow.screen_partners([partner])
        return partner

    def false_positive(self, partner: BusinessPartner) -> None:
        screening = partner.screenings.get()
        self.assertEqual(screening.status, "alert", screening.hits)
        workflow.decide(screening, self.users["user"], "false_positive", "Another person")

    def test_only_changed_entities_are_screened_and_decisions_follow_the_changes(self) -> None:
        self.load(self.lines, "dpl_2022-09-07")
        self.assertIn("ABDUL MAJID SAIDI", self.lines[4])
        self.assertIn("AARON ABRAHAM VILLA", self.lines[2])
        changed_entry = self.partner("Abdul Majid Saidi", "US")
        self.false_positive(changed_entry)
        unchanged_entry = self.partner("Aaron Abraham Villa", "US")
        self.false_positive(unchanged_entry)
        removed_entry = self.partner("Zimo Sheng", "CN", self.other_company)
        self.assertEqual(removed_entry.screenings.get().status, "alert")
        newly_listed = self.partner("Naviera Oscura Internacional", "PA", self.other_company)
        self.assertEqual(newly_listed.screenings.get().status, "clear")

        v2 = list(self.lines[:-2])  # the two ZIMO SHENG rows (580, 581) are removed
        v2[3] = v2[3].replace("ABDIEL PADRON MADRID", "NAVIERA OSCURA INTERNACIONAL")
        v2[4] = v2[4].replace("2948 PEASE DRIVE, APT. 201", "17 LAKE ROAD")
        with mock.patch(
            "partners.rescreening.ScreeningIndex", wraps=ScreeningIndex
        ) as spy:  # the matcher sees the added and changed entities only
            self.load(v2, "dpl_2022-10-01")
        (entities,), _kwargs = spy.call_args
        self.assertEqual(sorted(e.entity_id for e in entities), ["3", "4"])

        fp = FalsePositive.objects.get(partner=changed_entry)
        self.assertIsNotNone(fp.reopened_at)
        self.assertIn("Denied Persons", fp.reopen_reason)
        latest = changed_entry.screenings.first()
        assert latest is not None
        self.assertEqual((latest.status, latest.trigger), ("alert", "list_update"))
        self.assertEqual(latest.alerting_hits()[0]["entity_id"], "4")

        self.assertIsNone(FalsePositive.objects.get(partner=unchanged_entry).reopened_at)
        self.assertEqual(unchanged_entry.screenings.count(), 1)

        closed = removed_entry.screenings.get()
        self.assertEqual(closed.status, "closed")
        self.assertIn("removed", closed.decision_reason)

        alert = newly_listed.screenings.first()
        assert alert is not None
        self.assertEqual((alert.status, alert.hits[0]["entity_id"]), ("alert", "3"))
        self.assertEqual(alert.list_versions[0]["list_date"], "2022-10-01")
        self.assertEqual(PartnerScreening.objects.filter(trigger="list_update").count(), 2)
        self.login("admin")
        queue = self.client.get(reverse("partners:alert-list", args=[self.company.pk]))
        self.assertContains(queue, "New list version")
        self.assertNotContains(queue, "Naviera Oscura")  # the other company's partner

    def test_a_small_index_scores_as_the_full_index(self) -> None:
        self.load(self.lines, "dpl_2022-09-07")
        from screening.index import active_index

        full, _versions = active_index()
        few = [e for e in full.entities if e.entity_id in {"4", "200", "300"}]
        small = ScreeningIndex(few, weights_from=full)
        for entity in few:
            expected = full.search(entity.name, top=5)
            got = small.search(entity.name, top=1)
            score = next(h.score for h in expected if h.entity.entity_id == entity.entity_id)
            self.assertAlmostEqual(got[0].score, score, places=3)
