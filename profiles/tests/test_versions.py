"""Catalogue versions in practice: the 2023 change loaded as a version derived from 2019,
and a company moving its profile to it explicitly, with its answers, evidence and frozen
submissions kept."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from catalogue import changes
from catalogue.models import Catalogue
from profiles import workflow
from profiles.choices import ResponseStatus
from profiles.models import Evidence, Response, SecurityProfile, Submission
from profiles.tests.factories import ProfilesTestCase, add_evidence, load_msc, submit

CHANGES_2023 = Path(settings.SHARED_DATA_DIR) / "msc" / "changes-2023.csv"


def derive_2023(base: Catalogue) -> Catalogue:
    return changes.derive_version(
        base,
        CHANGES_2023.read_bytes(),
        CHANGES_2023.name,
        version="2023",
        name="CTPAT MSC 2019, as amended in 2023",
        effective_date=base.effective_date.replace(year=2023, month=1, day=1),
    ).catalogue


class DerivedVersionTests(ProfilesTestCase):
    """Source: ../shared/data/msc/changes-2023.csv — MSC 3.9 (forced labour / social
    compliance) is a Must from 1 January 2023 for importers, exporters and foreign
    manufacturers; 5.2–5.4 apply to the business types CBP's 2020 MSC webinar names."""

    v2019: Catalogue
    v2023: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.v2019 = load_msc()
        cls.v2023 = derive_2023(cls.v2019)

    def test_3_9_is_a_must_in_2023_and_stays_a_should_in_2019(self) -> None:
        for business_type in ("importer", "exporter", "foreign_manufacturer"):
            with self.subTest(business_type):
                self.assertEqual(
                    self.v2019.criteria.get(ref_id="3.9").requirement_for(business_type), "should"
                )
                new = self.v2023.criteria.get(ref_id="3.9")
                self.assertEqual(new.requirement_for(business_type), "must")
                self.assertEqual(
                    new.applicabilities.get(business_type=business_type).requirement, "must"
                )
        self.assertIn("2023-01-01 change (relevel)", self.v2023.criteria.get(ref_id="3.9").notes)

    def test_applicability_changes_are_applied_and_everything_else_is_copied(self) -> None:
        new_5_3 = self.v2023.criteria.get(ref_id="5.3")
        self.assertIn("third_party_logistics", new_5_3.entity_types)
        self.assertNotIn("sea_carrier", new_5_3.entity_types)
        self.assertEqual(self.v2023.criteria.count(), self.v2019.criteria.count())
        old_1_1 = self.v2019.criteria.get(ref_id="1.1")
        new_1_1 = self.v2023.criteria.get(ref_id="1.1")
        self.assertEqual(
            (new_1_1.summary, new_1_1.requirement, new_1_1.entity_types),
            (old_1_1.summary, old_1_1.requirement, old_1_1.entity_types),
        )
        self.assertTrue(self.v2023.published)

    def test_loading_again_changes_nothing_and_another_file_is_refused(self) -> None:
        again = changes.derive_version(
            self.v2019,
            CHANGES_2023.read_bytes(),
            CHANGES_2023.name,
            version="2023",
            name="x",
            effective_date=self.v2023.effective_date,
        )
        self.assertFalse(again.created)
        with self.assertRaisesMessage(changes.ChangesFileError, "already exists"):
            changes.derive_version(
                self.v2019,
                b"id,change,field,old,new,entity_types,effective,source,note\n",
                "other.csv",
                version="2023",
                name="x",
                effective_date=self.v2023.effective_date,
            )

    def test_a_bad_changes_file_names_the_row_and_column(self) -> None:
        bad = (
            b"id,change,field,old,new,entity_types,effective,source,note\n"
            b"3.9,relevel,requirement,Must,Must,importer,2023-01-01,,\n"
            b"99.1,relevel,requirement,Should,Must,importer,2023-01-01,,\n"
            b"3.9,rename,requirement,,,importer,2023-01-01,,\n"
        )
        with self.assertRaises(changes.ChangesFileError) as caught:
            changes.derive_version(
                self.v2019,
                bad,
                "bad.csv",
                version="2024",
                name="x",
                effective_date=self.v2023.effective_date,
            )
        problems = "\n".join(caught.exception.problems)
        self.assertIn("Row 2, column old: 3.9 is should for importer", problems)
        self.assertIn("Row 3, column id: “99.1” is not a criterion", problems)
        self.assertIn("Row 4, column change: “rename” is not a change", problems)
        self.assertFalse(Catalogue.objects.filter(version="2024").exists())


class UpgradeTests(ProfilesTestCase):
    v2019: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.v2019 = load_msc()

    def setUp(self) -> None:
        self.profile = SecurityProfile.start(self.company)
        self.answers = list(self.profile.responses.select_related("criterion"))
        for number, response in enumerate(self.answers):
            response.status = ResponseStatus.PARTLY if number % 2 else ResponseStatus.IMPLEMENTED
            response.narrative = f"How we meet {response.criterion.ref_id}"
        Response.objects.bulk_update(self.answers, ["status", "narrative"])
        Response.objects.filter(profile=self.profile, criterion__ref_id="3.9").update(
            status=ResponseStatus.PARTLY
        )
        self.evidence = add_evidence(
            self.profile.responses.get(criterion__ref_id="3.9"), "Social compliance audit"
        )
        self.submission = submit(self.profile, self.users["officer"])

    def test_a_new_version_does_not_move_anybody(self) -> None:
        derive_2023(self.v2019)
        self.assertEqual(SecurityProfile.current_for(self.company), self.profile)
        self.assertEqual(SecurityProfile.start(self.company), self.profile)

    def test_96_answers_are_carried_over_and_3_9_needs_attention(self) -> None:
        self.assertEqual(len(self.answers), 96)
        v2023 = derive_2023(self.v2019)
        upgrade = workflow.upgrade_profile(self.profile, v2023, by=self.users["admin"])
        new = upgrade.profile
        self.assertEqual(upgrade.carried, 96)
        self.assertEqual(SecurityProfile.current_for(self.company), new)
        old_answers = {
            r.criterion.ref_id: (r.status, r.narrative)
            for r in self.profile.responses.select_related("criterion")
        }
        new_answers = {
            r.criterion.ref_id: (r.status, r.narrative)
            for r in new.responses.select_related("criterion")
        }
        self.assertEqual(new_answers, old_answers)
        self.assertTrue(all(r.criterion.catalogue_id == v2023.pk for r in new.responses.all()))
        # The evidence came along, pointing at the same stored file.
        (copied,) = Evidence.objects.filter(response__profile=new)
        self.assertEqual(copied.title, "Social compliance audit")
        self.assertEqual(
            copied.latest_file().sha256,  # type: ignore[union-attr]
            self.evidence.latest_file().sha256,  # type: ignore[union-attr]
        )
        # 3.9 is now a Must and only partly implemented: it needs attention.
        attention = [row.criterion.ref_id for row in workflow.needing_attention(self.profile, new)]
        self.assertEqual(attention, ["3.9"])
        self.assertEqual([c.ref_id for c, _o, _n in upgrade.comparison.relevelled], ["3.9"])
        # The submission stays on the old version, frozen.
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.profile, self.profile)
        self.assertEqual(Submission.objects.filter(company=self.company).count(), 1)
        self.assertEqual(self.profile.responses.count(), 96)

    def test_the_versions_page_previews_moves_and_lists_what_needs_attention(self) -> None:
        v2023 = derive_2023(self.v2019)
        url = reverse("profiles:profile-versions", args=[self.company.pk])
        self.login("viewer")
        page = self.client.get(url)
        self.assertContains(page, 'data-testid="relevelled-3.9"')
        self.assertNotContains(page, "Move the profile to version 2023")
        self.assertEqual(self.client.post(url, {"catalogue": v2023.pk}).status_code, 404)
        self.login("admin")
        page = self.client.post(url, {"catalogue": v2023.pk}, follow=True)
        self.assertContains(page, "96 answers were carried over")
        self.assertContains(page, 'data-testid="attention-3.9"')
        self.assertContains(page, "Should → Must")
        self.assertContains(page, 'data-testid="no-newer"')
        # Moving again to the same version is refused with a message, not an error page.
        page = self.client.post(url, {"catalogue": v2023.pk}, follow=True)
        self.assertContains(page, "is not a newer published version")

    def test_the_program_office_sees_which_version_the_profile_answers(self) -> None:
        from certification.workflow import certification_for

        certification = certification_for(self.company)
        self.login("specialist")
        page = self.client.get(certification.get_absolute_url() + "?tab=review")
        self.assertContains(page, "The member's profile answers")
        self.assertContains(page, "version 2019")


class LoadCommandTests(ProfilesTestCase):
    def test_load_catalogue_loads_2019_and_the_2023_version_once(self) -> None:
        call_command("load_catalogue", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_catalogue", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(
            list(Catalogue.objects.order_by("effective_date").values_list("version", flat=True)),
            ["2019", "2023"],
        )
