"""The case workspace shows only what can succeed: for every state and every
program-office role, each form on each tab posts without a refusal (a control that could
only error is not shown), and the header carries the running clocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from catalogue.tests.factories import make_catalogue, shipped_rows
from certification.choices import AppealOutcome, ReportStatus, State
from certification.models import (
    Appeal,
    CaseDocument,
    CertificationEvent,
    CriterionReview,
    ValidationReport,
    VettingCheck,
)
from certification.tests.factories import approved_report, certification_in, clear_vetting
from certification.workspace import TABS
from portal.testing import PersonaTestCase
from profiles.tests.factories import PDF_BYTES

STATES = [s for s in State.values if s != State.DRAFT]


class _Forms(HTMLParser):
    """The forms of a page: action, fields (name → value) and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": {}, "buttons": [], "files": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and a.get("type") == "file":
            self._form["files"].append(name)
        elif tag == "input" and a.get("type") == "checkbox":
            pass
        elif tag == "input" and name and a.get("type") == "date":
            self._form["fields"][name] = "2026-12-01"
        elif tag == "input" and name:
            default = "" if a.get("type") == "hidden" else "Because."
            self._form["fields"][name] = a.get("value", "") or default
        elif tag == "textarea" and name:
            self._form["fields"][name] = "Because."
        elif tag == "select" and name:
            self._select = name
        elif (
            tag == "option"
            and self._select
            and a.get("value")
            and self._select not in self._form["fields"]
        ):
            self._form["fields"][self._select] = a["value"]
        elif tag == "button":
            self._form["buttons"].append((name, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["action"].startswith("/program-office/")]


class WorkspaceMatrixTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_catalogue(shipped_rows()).publish()

    def _case(self, state: str) -> Any:
        """An account in `state` with something for every control to act on."""
        certification = certification_in(state, self.company)
        clear_vetting(certification)
        criterion = self.company_criterion()
        CriterionReview.objects.create(
            certification=certification,
            criterion=criterion,
            accepted=False,
            comment="Say how often.",
            reviewer=self.users["specialist"],
            member_response="Monthly.",
            responded_at=timezone.now(),
        )
        if state in (State.CERTIFIED, State.VALIDATED):
            approved_report(certification, self.users["specialist"], self.users["supervisor"])
            ValidationReport.objects.create(
                certification=certification,
                summary="Second visit.",
                tier_outcome=2,
                status=ReportStatus.SUBMITTED,
                drafted_by=self.users["specialist"],
            )
            # The approved report above closes the validation; the one awaiting a
            # decision does not count until approved.
            CriterionReview.objects.filter(certification=certification).update(accepted=True)
        if state in (State.SUSPENDED, State.REMOVED, State.REJECTED):
            event = CertificationEvent.objects.create(
                certification=certification,
                transition={"suspended": "suspend", "removed": "remove"}.get(state, "reject"),
                from_status=State.CERTIFIED,
                to_status=state,
                actor=self.users["supervisor"],
                actor_role="supervisor",
                reason="Breach.",
            )
            Appeal.objects.create(
                certification=certification,
                appealed_event=event,
                kind="benefit_denial",
                grounds="We fixed it.",
                filed_by=self.users["officer"],
                filed_at=timezone.now(),
                outcome=AppealOutcome.PENDING,
            )
        if state in (State.APPLIED, State.UNDER_REVIEW):
            CriterionReview.objects.filter(certification=certification).update(accepted=True)
        return certification

    def company_criterion(self) -> Any:
        from catalogue.models import Catalogue

        catalogue = Catalogue.objects.latest_published()
        assert catalogue is not None
        return catalogue.criteria_for("importer").order_by("category_number", "sequence").first()

    def _post(self, form: dict[str, Any], button: tuple[str, str]) -> Any:
        data: dict[str, Any] = dict(form["fields"])
        if button[0]:
            data[button[0]] = button[1]
        for name in form["files"]:
            data[name] = SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf")
        return self.client.post(form["action"], data)

    def test_every_form_on_every_tab_posts_without_a_refusal(self) -> None:
        for state in STATES:
            for role in ("specialist", "supervisor"):
                self.login(role)
                seen: set[tuple[str, str]] = set()
                for tab, _label in TABS:
                    with transaction.atomic():
                        certification = self._case(state)
                        url = f"{certification.get_absolute_url()}?tab={tab}"
                        page = self.client.get(url)
                        self.assertEqual(page.status_code, 200)
                        forms = forms_of(page.content.decode())
                        transaction.set_rollback(True)
                    for form in forms:
                        for button in form["buttons"] or [("", "")]:
                            key = (
                                re.sub(r"\d+", "N", form["action"]),
                                f"{button}{form['fields'].get('transition', '')}",
                            )
                            if key in seen:
                                continue
                            seen.add(key)
                            with self.subTest(state=state, role=role, tab=tab, form=key):
                                with transaction.atomic():
                                    certification = self._case(state)
                                    form["action"] = re.sub(
                                        r"/accounts/\d+/",
                                        f"/accounts/{certification.pk}/",
                                        form["action"],
                                    )
                                    form = self._retarget(form, certification)
                                    response = self._post(form, button)
                                    errors = [
                                        str(m)
                                        for m in get_messages(response.wsgi_request)
                                        if m.level == ERROR
                                    ]
                                    transaction.set_rollback(True)
                                self.assertIn(response.status_code, (200, 302), key)
                                if response.status_code == 200 and "hx-" not in key[0]:
                                    body = response.content.decode()
                                    shown = re.findall(
                                        r'(?:role="alert"|class="errorlist")[^>]*>(.*?)</', body
                                    )
                                    self.assertEqual(shown, [], key)
                                self.assertEqual(errors, [], key)

    def _retarget(self, form: dict[str, Any], certification: Any) -> dict[str, Any]:
        """Point a form at the objects of the freshly built case (ids change per build)."""
        action = form["action"]
        fields = dict(form["fields"])
        if "/vetting/" in action and "/override/" in action:
            check = certification.vetting.get(item="bonds")
            action = re.sub(r"/vetting/\d+/", f"/vetting/{check.pk}/", action)
        if "/reports/" in action and "/accounts/" not in action:
            report = certification.validation_reports.filter(status=ReportStatus.SUBMITTED).first()
            if "accept-response" in action:
                report = certification.validation_reports.exclude(responded_at=None).first()
            action = re.sub(r"/reports/\d+/", f"/reports/{report.pk}/", action)
        if "/appeals/" in action:
            appeal = certification.appeals.get()
            action = re.sub(r"/appeals/\d+/", f"/appeals/{appeal.pk}/", action)
        return {**form, "action": action, "fields": fields}

    def test_a_failed_vetting_item_offers_the_override_to_a_supervisor_only(self) -> None:
        certification = certification_in(State.UNDER_REVIEW, self.company)
        clear_vetting(certification)
        check = VettingCheck.objects.get(certification=certification, item="bonds")
        check.outcome = "failed"
        check.save()
        url = certification.get_absolute_url() + "?tab=vetting"
        self.login("specialist")
        self.assertNotContains(self.client.get(url), "override_reason")
        self.login("supervisor")
        self.assertContains(self.client.get(url), "override_reason")
        self.client.post(
            f"/program-office/vetting/{check.pk}/override/", {"override_reason": "Bond on file."}
        )
        check.refresh_from_db()
        self.assertTrue(check.cleared)

    def test_no_step_the_role_cannot_take_is_offered(self) -> None:
        certification = certification_in(State.APPLIED, self.company)
        self.login("specialist")
        page = self.client.get(certification.get_absolute_url() + "?tab=enforcement")
        self.assertNotContains(page, "suspension_reason")
        suspended = certification_in(State.SUSPENDED, self.company)
        page = self.client.get(suspended.get_absolute_url() + "?tab=enforcement")
        self.assertNotContains(page, 'data-testid="step-reinstate"')  # a supervisor's step
        self.login("supervisor")
        page = self.client.get(suspended.get_absolute_url() + "?tab=enforcement")
        self.assertContains(page, 'data-testid="step-reinstate"')
        self.assertContains(page, 'data-testid="clock-suspension"')

    def test_documents_are_versioned_and_type_checked_on_both_sides(self) -> None:
        from certification.signals import case_notice

        heard: list[dict[str, Any]] = []

        def receiver(**kwargs: Any) -> None:
            heard.append(kwargs)

        case_notice.connect(receiver)
        self.addCleanup(case_notice.disconnect, receiver)
        certification = certification_in(State.UNDER_REVIEW, self.company)
        self.login("specialist")
        url = f"/program-office/accounts/{certification.pk}/documents/"
        pdf = SimpleUploadedFile("visit.pdf", PDF_BYTES)
        self.client.post(url, {"title": "Visit agenda", "file": pdf})
        page = self.client.post(
            url, {"title": "Visit agenda", "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00evil")}
        )
        self.assertContains(page, "a Windows program")
        self.login("officer")
        member_url = f"/companies/{self.company.pk}/certification/documents/"
        self.client.post(
            member_url, {"title": "Visit agenda", "file": SimpleUploadedFile("v2.pdf", PDF_BYTES)}
        )
        versions = list(CaseDocument.objects.values_list("title", "version", "side"))
        self.assertEqual(versions, [("Visit agenda", 2, "member"), ("Visit agenda", 1, "office")])
        self.assertEqual(
            [h["kind"] for h in heard], ["document_from_office", "document_from_member"]
        )
        self.assertEqual(heard[0]["company"], self.company)
        status = self.client.get(f"/companies/{self.company.pk}/certification/")
        self.assertContains(status, "v2.pdf")
        self.login("viewer")
        self.client.post(member_url, {"title": "X", "file": SimpleUploadedFile("x.pdf", PDF_BYTES)})
        self.assertEqual(CaseDocument.objects.count(), 2)
