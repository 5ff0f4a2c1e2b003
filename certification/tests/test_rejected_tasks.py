"""A rejected criterion in the task list (`certification/reminders.py`): one task per
criterion the specialist rejected and the member has not answered, for the answer's owner
or, without one, the officers and administrators; linked to its row on the
profile-review page; gone once the response is sent; never a second e-mail (the
rejection's notice was one)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Catalogue, Criterion
from certification import workflow
from certification.choices import State
from certification.models import CriterionReview
from certification.reminders import REJECTED
from certification.tests.factories import certification_in
from certification.tests.test_profile_response import _criteria
from core.reminders import send_reminders, tasks_for
from portal.testing import PersonaTestCase
from profiles.models import Response, SecurityProfile


def rejected(user: object) -> list[tuple[str, str]]:
    return [(str(t.title), str(t.url)) for t in tasks_for(user) if t.kind == REJECTED]  # type: ignore[arg-type]


class RejectedCriterionTaskTests(PersonaTestCase):
    def setUp(self) -> None:
        self.certification = certification_in(State.UNDER_REVIEW, self.company)
        self.first, self.second = _criteria()
        profile = SecurityProfile.objects.create(
            company=self.company, catalogue=self.first.catalogue
        )
        Response.objects.create(
            profile=profile, criterion=self.first, status="partly", owner=self.users["user"]
        )
        Response.objects.create(profile=profile, criterion=self.second, status="implemented")
        for criterion in (self.first, self.second):
            workflow.review_criterion(
                self.certification,
                criterion,
                accepted=False,
                by=self.users["specialist"],
                comment="Add proof.",
            )
        self.page = reverse("certification_member:profile-review", args=[self.company.pk])

    def review(self, criterion: Criterion) -> CriterionReview:
        return CriterionReview.objects.get(criterion=criterion)

    def test_each_rejection_waits_on_the_owner_or_the_managers(self) -> None:
        first, second = self.review(self.first), self.review(self.second)
        self.assertEqual(
            rejected(self.users["user"]),
            [("Answer the rejected criterion: 3.1", f"{self.page}#review-{first.pk}")],
        )
        for persona in ("officer", "admin"):
            self.assertEqual(
                rejected(self.users[persona]),
                [("Answer the rejected criterion: 3.4", f"{self.page}#review-{second.pk}")],
            )
        for persona in ("viewer", "consultant", "other", "specialist"):
            self.assertEqual(rejected(self.users[persona]), [], persona)

    def test_an_accepted_or_answered_criterion_leaves_the_list(self) -> None:
        workflow.review_criterion(
            self.certification, self.first, accepted=True, by=self.users["specialist"]
        )
        for criterion in (self.second,):
            workflow.save_criterion_note(
                self.review(criterion), by=self.users["officer"], note="Proof attached."
            )
        self.assertEqual(len(rejected(self.users["officer"])), 1)  # a draft note is not sent
        workflow.send_profile_response(self.certification, by=self.users["officer"])
        for persona in ("user", "officer", "admin"):
            self.assertEqual(rejected(self.users[persona]), [], persona)

    def test_a_withdrawn_application_has_nothing_to_answer(self) -> None:
        type(self.certification).objects.filter(pk=self.certification.pk).update(
            status=State.WITHDRAWN
        )
        self.assertEqual(rejected(self.users["officer"]), [])

    def test_listed_only_no_reminder_e_mail(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            made = [d for d in send_reminders() if d.task.kind == REJECTED]
        self.assertEqual(made, [])

    def test_the_queries_do_not_grow_with_the_rejections(self) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                tasks_for(self.users["officer"])
            return len(captured)

        few = count()
        # A test catalogue grown in place (the plain queryset passes the lock).
        catalogue: QuerySet[Catalogue] = QuerySet(Catalogue).filter(pk=self.first.catalogue_id)
        catalogue.update(published=False)
        for ref in ("3.5", "3.6", "3.7"):
            criterion = type(self.first).objects.create(
                catalogue_id=self.first.catalogue_id,
                ref_id=ref,
                sequence=int(ref[2]),
                category_number=3,
                focus_area="Corporate security",
                category_name="Business partners",
                requirement="must",
                summary="More.",
                evidence="Procedure",
            )
            workflow.review_criterion(
                self.certification,
                criterion,
                accepted=False,
                by=self.users["specialist"],
                comment="More.",
            )
        catalogue.update(published=True)
        self.assertEqual(count(), few)
        self.assertEqual(len(rejected(self.users["officer"])), 4)
