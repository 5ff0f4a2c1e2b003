"""Answering many criteria at once: the grid saves one row on change, applies one change
to the ticked rows or every row shown, and neither the grid nor the autosave shows a
conflict with the editor's own earlier save."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from profiles.models import Response
from profiles.tests.factories import criterion
from profiles.tests.test_profile import ProfileTestCase


class GridTests(ProfileTestCase):
    def grid(self, **query: str) -> Any:
        return self.client.get(reverse("profiles:response-grid", args=[self.company.pk]), query)

    def bulk(self, data: dict[str, Any], query: str = "", **extra: Any) -> Any:
        url = reverse("profiles:response-bulk", args=[self.company.pk])
        return self.client.post(url + (f"?{query}" if query else ""), data, **extra)

    def test_the_grid_lists_every_criterion_with_its_fields(self) -> None:
        self.login("user")
        page = self.grid()
        for ref in ("1.1", "1.2", "3.1", "4.1", "4.2"):
            self.assertContains(page, f'data-testid="row-{ref}"')
        self.assertNotContains(page, 'data-testid="row-3.8"')  # not for importers
        self.assertContains(page, 'name="status"', count=6)  # 5 rows and the filter

    def test_the_grid_speaks_spanish(self) -> None:
        self.login("user")
        page = self.client.get(
            reverse("profiles:response-grid", args=[self.company.pk]), HTTP_ACCEPT_LANGUAGE="es"
        )
        self.assertContains(page, "Cambiar varios a la vez")
        self.assertContains(page, "todos los criterios mostrados")

    def test_filters_by_category_must_status_and_owner(self) -> None:
        self.login("user")
        page = self.grid(category="4")
        self.assertContains(page, 'data-testid="row-4.1"')
        self.assertNotContains(page, 'data-testid="row-1.1"')
        page = self.grid(requirement="must")
        self.assertContains(page, 'data-testid="row-1.2"')
        self.assertNotContains(page, 'data-testid="row-1.1"')

    def test_a_row_saves_on_its_own_and_comes_back_saved(self) -> None:
        self.login("user")
        target = criterion(self.catalogue, "1.2")
        owner = self.users["admin"]
        url = reverse("profiles:response-row", args=[self.company.pk, target.pk])
        data = {"status": "partly", "owner": owner.pk, "due_date": "2027-03-01", "version": 0}
        row = self.client.post(url, data, HTTP_HX_REQUEST="true")
        self.assertContains(row, 'data-testid="row-saved"')
        self.assertContains(row, 'name="version" value="1"')
        saved = Response.objects.get(profile=self.profile, criterion=target)
        self.assertEqual(
            (saved.status, saved.owner, str(saved.due_date)), ("partly", owner, "2027-03-01")
        )
        # The same editor again with the version the row showed before: no conflict.
        again = self.client.post(url, {**data, "status": "implemented"}, HTTP_HX_REQUEST="true")
        self.assertContains(again, 'data-testid="row-saved"')
        self.assertEqual(Response.objects.get(pk=saved.pk).version, 2)
        # Someone else with a stale version: refused, their row shows the current answer.
        self.login("admin")
        other = self.client.post(url, {**data, "status": "not_implemented"}, HTTP_HX_REQUEST="true")
        self.assertContains(other, "changed by user@acme.test")
        self.assertEqual(Response.objects.get(pk=saved.pk).status, "implemented")

    def test_an_owner_from_another_company_is_refused_in_a_row(self) -> None:
        self.login("user")
        target = criterion(self.catalogue, "1.2")
        url = reverse("profiles:response-row", args=[self.company.pk, target.pk])
        row = self.client.post(
            url, {"owner": self.users["other"].pk, "version": 0}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(row, "Owner:")
        self.assertIsNone(Response.objects.get(profile=self.profile, criterion=target).owner)

    def test_bulk_applies_status_and_owner_to_the_ticked_rows(self) -> None:
        self.login("user")
        picked = [criterion(self.catalogue, r).pk for r in ("1.1", "4.2")]
        owner = self.users["admin"]
        page = self.bulk(
            {
                "bulk-scope": "selected",
                "bulk-status": "implemented",
                "bulk-owner": owner.pk,
                "criteria": picked,
            },
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(page, "2 answers changed.")
        answers = Response.objects.filter(profile=self.profile)
        self.assertEqual(
            sorted(answers.filter(status="implemented", owner=owner).values_list(
                "criterion__ref_id", flat=True)),
            ["1.1", "4.2"],
        )  # fmt: skip
        self.assertFalse(answers.exclude(criterion_id__in=picked).exclude(status="").exists())
        self.assertTrue(all(a.version == 1 for a in answers.filter(criterion_id__in=picked)))

    def test_bulk_on_every_row_the_filter_shows(self) -> None:
        self.login("user")
        data = {"bulk-scope": "shown", "bulk-due_date": "2027-01-31"}
        response = self.bulk(data, query="requirement=must")
        self.assertEqual(response.status_code, 302)
        dated = Response.objects.filter(profile=self.profile, due_date__isnull=False)
        self.assertEqual(
            sorted(dated.values_list("criterion__ref_id", flat=True)), ["1.2", "3.1", "4.1"]
        )

    def test_bulk_not_applicable_needs_each_reason_and_changes_nothing(self) -> None:
        self.login("user")
        picked = [criterion(self.catalogue, r).pk for r in ("1.1", "4.2")]
        page = self.bulk(
            {"bulk-scope": "selected", "bulk-status": "not_applicable", "criteria": picked},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(page, "needs a reason")
        self.assertContains(page, "1.1, 4.2")
        self.assertFalse(Response.objects.filter(status="not_applicable").exists())

    def test_bulk_without_a_change_or_rows_says_what_is_missing(self) -> None:
        self.login("user")
        page = self.bulk({"bulk-scope": "selected"}, HTTP_HX_REQUEST="true")
        self.assertContains(page, "Choose a status, an owner or a due date")
        page = self.bulk(
            {"bulk-scope": "selected", "bulk-status": "partly"}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(page, "Choose at least one criterion")


class BulkPageApiParityTests(ProfileTestCase):
    def test_the_page_and_the_api_write_the_same(self) -> None:
        from portal.testing import written

        picked = [criterion(self.catalogue, r).pk for r in ("1.1", "4.2")]
        owner = self.users["admin"]
        self.login("user")
        with written(Response) as page_wrote:
            self.client.post(
                reverse("profiles:response-bulk", args=[self.company.pk]),
                {"bulk-scope": "selected", "bulk-status": "partly", "bulk-owner": owner.pk,
                 "criteria": picked},
            )  # fmt: skip
        Response.objects.filter(profile=self.profile).update(status="", owner=None, version=0)
        with written(Response) as api_wrote:
            answer = self.client.post(
                reverse("api:securityprofile-bulk-answers", args=[self.profile.pk]),
                {"criteria": picked, "status": "partly", "owner": owner.pk},
                content_type="application/json",
            )
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(len(answer.json()["changed"]), 2)
        self.assertEqual(page_wrote, api_wrote)

    def test_the_api_refuses_an_owner_from_elsewhere_naming_it(self) -> None:
        self.login("user")
        answer = self.client.post(
            reverse("api:securityprofile-bulk-answers", args=[self.profile.pk]),
            {"criteria": [criterion(self.catalogue, "1.1").pk], "owner": self.users["other"].pk},
            content_type="application/json",
        )
        self.assertEqual(answer.status_code, 400)
        self.assertIn("owner", answer.json()["detail"])


class OneSaveTests(ProfileTestCase):
    def test_autosave_and_save_button_from_the_same_version_never_conflict(self) -> None:
        """The autosave fires, then the Save button posts the version the page had: the
        editor's own save is not "changed by you since you opened it"."""
        self.login("user")
        opened = self.form("4.1")
        autosave = self.client.post(
            self.edit_url("4.1"), {**opened, "narrative": "Gate log"}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(autosave, "Saved")
        self.assertContains(autosave, 'name="version" value="1"')
        button = self.client.post(
            self.edit_url("4.1"), {**opened, "narrative": "Gate log kept 1 year"},
            HTTP_HX_REQUEST="true",
        )  # fmt: skip
        self.assertNotContains(button, "since you opened it")
        self.assertContains(button, 'name="version" value="2"')
        saved = self.profile.responses.get(criterion__ref_id="4.1")
        self.assertEqual((saved.narrative, saved.version), ("Gate log kept 1 year", 2))

    def test_the_save_button_is_the_same_htmx_save_as_the_autosave(self) -> None:
        self.login("user")
        page = self.client.get(self.edit_url("4.1"))
        self.assertContains(page, 'hx-trigger="submit, change, input delay:1500ms"')
        self.assertContains(page, 'data-testid="save-status"')
