"""The profile page and one criterion's answer: entity filtering, provenance, editing,
autosave with HTMX, the edit-conflict warning and the filters."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from catalogue.models import Catalogue
from profiles.choices import ResponseStatus
from profiles.models import Response, SecurityProfile
from profiles.tests.factories import ProfilesTestCase, answer, criterion, make_catalogue


class ProfileTestCase(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)

    def edit_url(self, ref_id: str, company=None) -> str:
        company = company or self.company
        return reverse(
            "profiles:response-edit", args=[company.pk, criterion(self.catalogue, ref_id).pk]
        )

    def form(self, ref_id: str, **changes: Any) -> dict[str, Any]:
        response = self.profile.responses.get(criterion__ref_id=ref_id)
        data = {
            "status": response.status,
            "narrative": response.narrative,
            "na_reason": response.na_reason,
            "owner": response.owner_id or "",
            "due_date": response.due_date or "",
            "version": response.version,
        }
        data.update(changes)
        return data


class EntityFilteringTests(ProfileTestCase):
    def test_an_importer_sees_only_importer_criteria(self) -> None:
        self.login("user")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.company.pk]))
        shown = [r.criterion.ref_id for _c, rows in page.context["groups"] for r in rows]
        self.assertEqual(shown, ["1.1", "1.2", "3.1", "4.1", "4.2"])
        self.assertNotContains(page, 'data-testid="criterion-3.8"')

    def test_a_highway_carrier_sees_its_own_criteria(self) -> None:
        self.login("other")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.other_company.pk]))
        shown = [r.criterion.ref_id for _c, rows in page.context["groups"] for r in rows]
        self.assertEqual(shown, ["1.1", "1.2", "3.8", "4.1"])

    def test_a_criterion_of_another_business_type_answers_404(self) -> None:
        self.login("user")
        self.assertEqual(self.client.get(self.edit_url("3.8")).status_code, 404)

    def test_the_criterion_page_says_how_far_to_trust_it(self) -> None:
        self.login("other")
        page = self.client.get(self.edit_url("1.1", self.other_company))
        self.assertContains(
            page, "Verified for importers; inferred for highway carriers and customs brokers"
        )
        self.assertContains(page, "inferred for your business type")

    def test_a_profile_starts_with_one_empty_answer_per_applicable_criterion(self) -> None:
        self.assertEqual(
            sorted(self.profile.responses.values_list("criterion__ref_id", flat=True)),
            ["1.1", "1.2", "3.1", "4.1", "4.2"],
        )
        self.assertEqual(SecurityProfile.start(self.company), self.profile)

    def test_a_change_of_business_type_shows_the_new_types_criteria(self) -> None:
        self.company.business_type = "highway_carrier"
        self.company.business_subtype = "us_mexico"
        self.company.save()
        self.login("user")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.company.pk]))
        shown = [r.criterion.ref_id for _c, rows in page.context["groups"] for r in rows]
        self.assertEqual(shown, ["1.1", "1.2", "3.8", "4.1"])
        self.assertTrue(self.profile.responses.filter(criterion__ref_id="3.8").exists())

    def test_readers_see_the_criteria_without_starting_a_profile(self) -> None:
        self.login("specialist")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.third_company.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertFalse(SecurityProfile.objects.filter(company=self.third_company).exists())
        self.assertEqual(page.context["readiness"].total, 3)


class EditTests(ProfileTestCase):
    def test_an_editor_saves_an_answer(self) -> None:
        self.login("user")
        response = self.client.post(
            self.edit_url("3.1"),
            self.form(
                "3.1",
                status="partly",
                narrative="We screen new partners.",
                owner=self.users["admin"].pk,
                due_date="2030-01-31",
            ),
        )
        self.assertEqual(response.status_code, 302)
        saved = self.profile.responses.get(criterion__ref_id="3.1")
        self.assertEqual(saved.status, ResponseStatus.PARTLY)
        self.assertEqual(saved.owner, self.users["admin"])
        self.assertEqual(saved.version, 1)
        self.assertEqual(saved.updated_by, self.users["user"])
        self.profile.refresh_from_db()
        self.assertTrue(self.profile.has_unsubmitted_changes)

    def test_not_applicable_needs_a_reason(self) -> None:
        self.login("user")
        response = self.client.post(self.edit_url("3.1"), self.form("3.1", status="not_applicable"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "needs a reason", status_code=400)
        self.assertEqual(self.profile.responses.get(criterion__ref_id="3.1").status, "")

    def test_the_owner_must_be_a_member(self) -> None:
        self.login("user")
        response = self.client.post(
            self.edit_url("3.1"), self.form("3.1", owner=self.users["other"].pk)
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "owner", status_code=400)

    def test_autosave_answers_with_a_status_and_the_new_version(self) -> None:
        self.login("user")
        response = self.client.post(
            self.edit_url("1.2"), self.form("1.2", narrative="Draft"), HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Saved at")
        self.assertContains(response, 'name="version" value="1"')
        self.assertContains(response, 'hx-swap-oob="true"')

    def test_saving_the_same_text_again_does_not_bump_the_version(self) -> None:
        self.login("user")
        self.client.post(self.edit_url("1.2"), self.form("1.2", narrative="Same"))
        self.client.post(self.edit_url("1.2"), self.form("1.2", narrative="Same"))
        self.assertEqual(self.profile.responses.get(criterion__ref_id="1.2").version, 1)


class ConcurrentEditTests(ProfileTestCase):
    def test_the_second_editor_is_warned_and_keeps_their_text(self) -> None:
        opened = self.form("4.1")  # both open the page at version 0
        self.login("admin")
        self.client.post(self.edit_url("4.1"), {**opened, "narrative": "Admin's text"})
        self.login("user")
        response = self.client.post(self.edit_url("4.1"), {**opened, "narrative": "User's text"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "This answer was changed by admin@acme.test", status_code=409)
        self.assertContains(response, "User&#x27;s text", status_code=409)  # kept in the form
        self.assertContains(response, "Admin&#x27;s text", status_code=409)  # theirs shown
        saved = self.profile.responses.get(criterion__ref_id="4.1")
        self.assertEqual(saved.narrative, "Admin's text")
        # The form now carries the current version: saving again replaces on purpose.
        self.assertContains(response, 'name="version" value="1"', status_code=409)
        again = self.client.post(
            self.edit_url("4.1"), {**opened, "version": 1, "narrative": "User's text"}
        )
        self.assertEqual(again.status_code, 302)
        self.assertEqual(
            self.profile.responses.get(criterion__ref_id="4.1").narrative, "User's text"
        )

    def test_an_htmx_autosave_conflict_replaces_the_form_and_stops_autosaving(self) -> None:
        opened = self.form("4.1")
        answer(self.profile, "4.1", narrative="Someone else")
        self.login("user")
        response = self.client.post(
            self.edit_url("4.1"), {**opened, "narrative": "Mine"}, HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)  # htmx swaps only 2xx answers
        self.assertEqual(response["HX-Retarget"], "#response-form")
        self.assertContains(response, 'data-testid="conflict"')
        self.assertNotContains(response, "hx-trigger")
        self.assertEqual(
            self.profile.responses.get(criterion__ref_id="4.1").narrative, "Someone else"
        )


class FilterTests(ProfileTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        answer(cls.profile, "1.1", status="implemented", owner=cls.users["admin"])
        answer(cls.profile, "3.1", status="partly")

    def shown(self, **params) -> list[str]:
        self.login("viewer")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.company.pk]), params)
        return [r.criterion.ref_id for _c, rows in page.context["groups"] for r in rows]

    def test_filter_by_status(self) -> None:
        self.assertEqual(self.shown(status="partly"), ["3.1"])
        self.assertEqual(self.shown(status="unanswered"), ["1.2", "4.1", "4.2"])

    def test_filter_by_owner(self) -> None:
        self.assertEqual(self.shown(owner=self.users["admin"].pk), ["1.1"])
        self.assertEqual(self.shown(owner="none"), ["1.2", "3.1", "4.1", "4.2"])

    def test_filter_by_must(self) -> None:
        self.assertEqual(self.shown(requirement="must"), ["1.2", "3.1", "4.1"])
        self.assertEqual(self.shown(requirement="should", status="implemented"), ["1.1"])

    def test_progress_per_category_counts_answers(self) -> None:
        self.login("viewer")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.company.pk]))
        categories = {c.number: (c.answered, c.total) for c in page.context["readiness"].categories}
        self.assertEqual(categories, {1: (1, 2), 3: (1, 1), 4: (0, 2)})


class NoCatalogueTests(ProfilesTestCase):
    def test_the_page_explains_that_no_catalogue_is_loaded(self) -> None:
        self.login("user")
        page = self.client.get(reverse("profiles:profile-detail", args=[self.company.pk]))
        self.assertContains(page, "ctpat load_catalogue")
        self.assertFalse(Response.objects.exists())
