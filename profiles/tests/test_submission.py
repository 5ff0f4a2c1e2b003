"""The officer's submission: MFA re-check and attestation, the frozen snapshot, the history
and the difference between two submissions."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse

from catalogue.models import Catalogue
from core.refusals import NotAnOfficer
from profiles import workflow
from profiles.models import FrozenError, SecurityProfile, Submission
from profiles.snapshots import diff_snapshots
from profiles.tests.factories import ProfilesTestCase, add_evidence, answer, make_catalogue


def confirm_mfa(client: Any, user: Any) -> None:
    """What allauth records after the MFA re-authentication page accepted a code."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "mfa", "type": "totp", "reauthenticated": True, "at": time.time()}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


class SubmissionTestCase(ProfilesTestCase):
    catalogue: Catalogue
    profile: SecurityProfile

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.catalogue = make_catalogue()
        cls.profile = SecurityProfile.start(cls.company)
        answer(cls.profile, "1.2", status="implemented", narrative="Policy signed by the CEO.")
        answer(cls.profile, "3.1", status="partly", narrative="Screening started.")

    def setUp(self) -> None:
        self.url = reverse("profiles:submission-create", args=[self.company.pk])

    def sign_in_officer(self) -> None:
        self.login("officer")
        confirm_mfa(self.client, self.users["officer"])

    def submit(self, **changes: Any) -> Any:
        data = {"full_name": "Dana Price", "title": "Chief Operating Officer", "attest": "on"}
        data.update(changes)
        return self.client.post(self.url, data)


class SubmitTests(SubmissionTestCase):
    def test_only_the_officer_finds_the_page(self) -> None:
        for persona in ("viewer", "user", "admin", "consultant", "specialist", "other"):
            with self.subTest(persona=persona):
                self.login(persona)
                self.assertEqual(self.client.get(self.url).status_code, 404)
                self.assertEqual(self.submit().status_code, 404)
        self.assertFalse(Submission.objects.exists())

    def test_the_officer_confirms_with_the_authenticator_first(self) -> None:
        self.login("officer")
        response = self.submit()
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("mfa_reauthenticate")))
        self.assertFalse(Submission.objects.exists())

    def test_the_attestation_is_required(self) -> None:
        self.sign_in_officer()
        response = self.submit(attest="")
        self.assertContains(response, "Tick the attestation")
        self.assertFalse(Submission.objects.exists())

    def test_submitting_freezes_a_snapshot(self) -> None:
        self.sign_in_officer()
        response = self.submit()
        submission = Submission.objects.get()
        self.assertRedirects(response, submission.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(submission.number, 1)
        self.assertEqual(submission.submitted_by, self.users["officer"])
        self.assertEqual(submission.signer_title, "Chief Operating Officer")
        self.assertIn("I attest", submission.attestation)
        entries = {c["ref_id"]: c for c in submission.snapshot["criteria"]}
        self.assertEqual(entries["1.2"]["narrative"], "Policy signed by the CEO.")
        self.assertEqual(set(entries), {"1.1", "1.2", "3.1", "4.1", "4.2"})
        self.profile.refresh_from_db()
        self.assertFalse(self.profile.has_unsubmitted_changes)

    def test_later_edits_start_a_new_draft_and_leave_the_submission_as_it_was(self) -> None:
        self.sign_in_officer()
        self.submit()
        answer(self.profile, "1.2", narrative="Rewritten")
        submission = Submission.objects.get()
        entries = {c["ref_id"]: c for c in submission.snapshot["criteria"]}
        self.assertEqual(entries["1.2"]["narrative"], "Policy signed by the CEO.")
        self.profile.refresh_from_db()
        self.assertTrue(self.profile.has_unsubmitted_changes)
        page = self.client.get(reverse("profiles:profile-detail", args=[self.company.pk]))
        self.assertContains(page, "draft: changed since")

    def test_the_submission_links_each_evidence_file_with_its_version(self) -> None:
        response = answer(self.profile, "1.1", status="implemented", narrative="Kept.")
        evidence = add_evidence(response, "Gate <log>")
        self.sign_in_officer()
        self.submit()
        page = self.client.get(Submission.objects.get().get_absolute_url())
        download = reverse(
            "profiles:evidence-download", args=[self.company.pk, evidence.files.get().pk]
        )
        self.assertContains(page, f'<a href="{download}">Gate &lt;log&gt;</a> v1<br>', html=False)

    def test_a_submission_cannot_be_changed_or_deleted(self) -> None:
        self.sign_in_officer()
        self.submit()
        submission = Submission.objects.get()
        submission.signer_name = "Someone else"
        with self.assertRaises(FrozenError):
            submission.save()
        with self.assertRaises(FrozenError):
            submission.delete()

    def test_a_double_click_submits_once(self) -> None:
        self.sign_in_officer()
        self.submit()
        again = self.submit()
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Submission.objects.count(), 1)

    def test_the_workflow_refuses_anyone_but_an_officer(self) -> None:
        signature = workflow.Signature("Al", "CFO", "I attest", None)
        with self.assertRaises(NotAnOfficer):
            workflow.submit_profile(self.profile, self.users["admin"], signature)


class HistoryAndDiffTests(SubmissionTestCase):
    def test_history_keeps_every_submission_and_shows_the_difference(self) -> None:
        self.sign_in_officer()
        self.submit()
        response = answer(self.profile, "3.1", status="implemented", owner=self.users["user"])
        add_evidence(response, "Screening log")
        self.submit()
        answer(self.profile, "4.1", status="not_applicable", na_reason="No IT systems")
        self.submit()
        self.assertEqual(
            list(Submission.objects.order_by("number").values_list("number", flat=True)), [1, 2, 3]
        )
        listing = self.client.get(reverse("profiles:submission-list", args=[self.company.pk]))
        for number in (1, 2, 3):
            self.assertContains(listing, f">{number}</a>")

        diff = self.client.get(
            reverse("profiles:submission-diff", args=[self.company.pk]), {"a": 1, "b": 3}
        )
        changes = {c.ref_id: c for c in diff.context["changes"]}
        self.assertEqual(set(changes), {"3.1", "4.1"})
        fields = {f.field: (f.old, f.new) for f in changes["3.1"].changes}
        self.assertEqual(fields["Status"], ("Partly implemented", "Implemented"))
        self.assertEqual(fields["Owner"], ("", "user@acme.test"))
        self.assertIn("Screening log", fields["Evidence"][1])
        self.assertContains(diff, "No IT systems")

        between_2_and_3 = self.client.get(
            reverse("profiles:submission-diff", args=[self.company.pk]), {"a": 2, "b": 3}
        )
        self.assertEqual([c.ref_id for c in between_2_and_3.context["changes"]], ["4.1"])

    def test_diff_names_added_and_removed_criteria(self) -> None:
        old = {"criteria": [{"ref_id": "1.1", "summary": "a", "status": ""}]}
        new = {"criteria": [{"ref_id": "1.2", "summary": "b", "status": ""}]}
        self.assertEqual(
            [(c.ref_id, c.kind) for c in diff_snapshots(old, new)],
            [("1.2", "added"), ("1.1", "removed")],
        )

    def test_comparing_a_submission_that_does_not_exist_says_so(self) -> None:
        self.login("viewer")
        response = self.client.get(
            reverse("profiles:submission-diff", args=[self.company.pk]), {"a": 7, "b": 9}
        )
        self.assertContains(response, "Choose two submissions that exist.", status_code=400)
