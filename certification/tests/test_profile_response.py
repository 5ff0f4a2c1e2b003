"""The member answers the criteria the specialist rejected: sees each with its comment and
a link to the answer in the security profile, writes a note per criterion, sends them
together; the specialist's queue shows "member responded" and the specialist re-reviews."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Catalogue, Criterion
from certification import workflow
from certification.choices import State
from certification.models import CriterionReview
from certification.tests.factories import certification_in, clear_vetting
from certification.workflow import TransitionNotAllowed
from portal.testing import PersonaTestCase


def _criteria() -> tuple[Criterion, Criterion]:
    catalogue = Catalogue.objects.create(
        slug="msc-importers",
        version="2019",
        name="MSC",
        effective_date=timezone.localdate(),
    )
    common = {
        "catalogue": catalogue,
        "category_number": 3,
        "focus_area": "Corporate security",
        "category_name": "Business partners",
        "requirement": "must",
        "evidence": "Procedure",
    }
    criteria = (
        Criterion.objects.create(ref_id="3.1", sequence=1, summary="Screen partners.", **common),
        Criterion.objects.create(ref_id="3.4", sequence=4, summary="Verify status.", **common),
    )
    Catalogue.objects.filter(pk=catalogue.pk).update(published=True)
    return criteria


class ProfileResponseTests(PersonaTestCase):
    def setUp(self) -> None:
        self.certification = certification_in(State.UNDER_REVIEW, self.company)
        self.first, self.second = _criteria()
        specialist = self.users["specialist"]
        for criterion, comment in ((self.first, "Say how often."), (self.second, "Add proof.")):
            workflow.review_criterion(
                self.certification, criterion, accepted=False, by=specialist, comment=comment
            )
        self.page = reverse("certification_member:profile-review", args=[self.company.pk])

    def _note(self, criterion: Criterion, note: str, **headers: str) -> object:
        review = CriterionReview.objects.get(criterion=criterion)
        url = reverse("certification_member:review-note", args=[self.company.pk, review.pk])
        return self.client.post(url, {"note": note}, **headers)  # type: ignore[arg-type]

    def test_member_sees_comments_and_links_to_the_answer_pages(self) -> None:
        self.login("viewer")
        response = self.client.get(self.page)
        self.assertContains(response, "Say how often.")
        self.assertContains(response, "Add proof.")
        answer = reverse("profiles:response-edit", args=[self.company.pk, self.first.pk])
        self.assertContains(response, f'href="{answer}"')
        self.assertNotContains(response, "send-response")  # a viewer cannot answer
        status = self.client.get(reverse("certification_member:status", args=[self.company.pk]))
        self.assertContains(status, "2 rejected criteria wait for your answer.")

    def test_sending_needs_a_note_on_every_rejected_criterion(self) -> None:
        self.login("user")
        self._note(self.first, "Monthly, by the compliance team.")
        response = self.client.post(
            reverse("certification_member:review-send", args=[self.company.pk])
        )
        self.assertContains(response, "still without a note: 3.4", status_code=400)
        self.assertFalse(CriterionReview.objects.exclude(responded_at=None).exists())

    def test_htmx_note_returns_the_row_and_a_sent_answer_is_locked(self) -> None:
        self.login("consultant")
        row = self._note(self.first, "Monthly.", HTTP_HX_REQUEST="true")
        self.assertContains(row, "saved")  # type: ignore[arg-type]
        self.assertNotContains(row, "<html")  # type: ignore[arg-type]
        self._note(self.second, "Uploaded the SVI list.")
        self.client.post(reverse("certification_member:review-send", args=[self.company.pk]))
        review = CriterionReview.objects.get(criterion=self.first)
        self.assertIsNotNone(review.responded_at)
        trail = LogEntry.objects.get_for_object(review).first()
        assert trail is not None
        self.assertEqual(trail.actor, self.users["consultant"])
        self.assertIn("responded_at", trail.changes_dict)
        with self.assertRaisesMessage(TransitionNotAllowed, "already sent"):
            workflow.save_criterion_note(review, by=self.users["user"], note="Changed my mind.")

    def test_queue_shows_member_responded_and_the_specialist_rereviews(self) -> None:
        self.login("user")
        self._note(self.first, "Monthly.")
        self._note(self.second, "Uploaded the SVI list.")
        self.client.post(reverse("certification_member:review-send", args=[self.company.pk]))

        self.login("specialist")
        queue = self.client.get(reverse("certification:certification-list"))
        self.assertContains(queue, "member responded (2 criteria)")
        detail = self.client.get(self.certification.get_absolute_url())
        self.assertContains(detail, "Uploaded the SVI list.")
        url = reverse("certification:criterionreview-create", args=[self.certification.pk])
        self.client.post(url, {"criterion": self.first.pk, "accepted": "1", "comment": ""})
        self.client.post(
            url, {"criterion": self.second.pk, "accepted": "0", "comment": "Date the list."}
        )
        first = CriterionReview.objects.get(criterion=self.first)
        second = CriterionReview.objects.get(criterion=self.second)
        self.assertTrue(first.accepted)
        self.assertEqual(first.member_response, "Monthly.")  # kept as the record
        self.assertEqual((second.accepted, second.responded_at), (False, None))  # new round
        self.assertContains(
            self.client.get(reverse("certification:certification-list")), "Acme Imports LLC"
        )
        self.assertNotContains(
            self.client.get(reverse("certification:certification-list")), "member responded"
        )

        # Once the second answer is accepted too, nothing blocks certification.
        self.login("user")
        self._note(self.second, "Dated 2026-11-01.")
        self.client.post(reverse("certification_member:review-send", args=[self.company.pk]))
        self.login("specialist")
        self.client.post(url, {"criterion": self.second.pk, "accepted": "1", "comment": ""})
        clear_vetting(self.certification)
        workflow.perform("certify", self.certification, by=self.users["specialist"])
        self.certification.refresh_from_db()
        self.assertEqual(self.certification.tier, 1)

    def test_other_company_and_program_office_cannot_answer(self) -> None:
        self.login("other")
        self.assertEqual(self.client.get(self.page).status_code, 404)
        self.assertEqual(self._note(self.first, "x").status_code, 404)  # type: ignore[attr-defined]
        self.login("specialist")
        self.assertEqual(self.client.get(self.page).status_code, 200)
        self.assertEqual(self._note(self.first, "x").status_code, 404)  # type: ignore[attr-defined]
        self.assertEqual(CriterionReview.objects.get(criterion=self.first).member_response, "")
