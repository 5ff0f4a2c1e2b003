"""Profile sharing as customers and sharers use it: requesting only from participating
members, consent with a scope, the summary built from the submitted snapshot and limited
to the scope (page, PDF and API), revocation and expiry, and the trail."""

from __future__ import annotations

import datetime
import io
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from certification.choices import State
from certification.tests.factories import certification_in
from companies.models import Company
from notices.models import Notice
from partners.models import BusinessPartner
from portal.testing import add_member, make_user, sign_in
from profiles.models import Submission
from profiles.tests.factories import ProfilesTestCase, answer, make_catalogue, start_profile, submit
from sharing import workflow
from sharing.models import Share, ShareView
from sharing.workflow import SharingRefused
from verification.tests.factories import participating


class SharingTestCase(ProfilesTestCase):
    """Our company (`company`, Acme) is the customer; `other_company` (Transportes del
    Norte) is the participating member asked to share; it submitted its profile once and
    has changed its draft since."""

    sharer: Company
    sharer_viewer: User
    submission: Submission
    partner_record: BusinessPartner

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sharer = cls.other_company
        participating(cls.sharer, cls.users["other"])
        cls.sharer_viewer = make_user("viewer@norte.test")
        add_member(cls.sharer, cls.sharer_viewer, "viewer")
        make_catalogue()
        profile = start_profile(cls.sharer)
        answer(profile, "1.1", status="implemented")
        answer(profile, "1.2", status="not_implemented")
        answer(profile, "3.8", status="not_applicable", na_reason="We do not haul")
        answer(profile, "4.1", status="partly")
        cls.submission = submit(profile, cls.users["other"])
        # The draft moves on after the submission; the customer must not see it.
        answer(profile, "1.2", status="implemented")
        cls.partner_record = BusinessPartner.objects.create(
            company=cls.company, name="Transportes del Norte", role="highway_carrier", country="MX"
        )

    def request(self, persona: str = "user", **data: Any) -> Any:
        self.login(persona)
        return self.client.post(
            reverse("sharing:share-create", args=[self.company.pk]),
            {"sharer": self.sharer.pk, **data},
        )

    def pending(self) -> Share:
        return Share.objects.create(
            requester=self.company, sharer=self.sharer, requested_by=self.users["user"]
        )

    def decide(self, share: Share, user: Any = None, **data: Any) -> Any:
        sign_in(self.client, user or self.users["other"])
        return self.client.post(
            reverse("sharing:share-decide", args=[self.sharer.pk, share.pk]), data
        )

    def messages_after(self, response: Any) -> list[str]:
        """The notes shown on the page the POST redirected to."""
        return [str(m) for m in self.client.get(response["Location"]).context["messages"]]

    def shared(self, *parts: str, expires_on: datetime.date | None = None) -> Share:
        share = self.pending()
        return workflow.accept(
            share, by=self.users["other"], parts=list(parts), expires_on=expires_on
        )

    def page(self, share: Share, persona: str = "viewer") -> Any:
        self.login(persona)
        return self.client.get(reverse("sharing:summary-detail", args=[self.company.pk, share.pk]))

    def pdf_text(self, share: Share, persona: str = "viewer") -> str:
        self.login(persona)
        response = self.client.get(reverse("sharing:summary-pdf", args=[self.company.pk, share.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertNotIn(self.sharer.account_number, response["Content-Disposition"])
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)

    def api(self, share: Share, persona: str = "viewer") -> Any:
        self.login(persona)
        return self.client.get(reverse("api:share-summary", args=[share.pk]))


class RequestTests(SharingTestCase):
    def test_a_member_requests_a_summary_linked_to_its_partner_record(self) -> None:
        response = self.request(business_partner=self.partner_record.pk, message="For our audit")
        self.assertRedirects(response, reverse("sharing:share-list", args=[self.company.pk]))
        share = Share.objects.get()
        self.assertEqual(
            (share.requester, share.sharer, share.status, share.requested_by),
            (self.company, self.sharer, "requested", self.users["user"]),
        )
        self.assertEqual(share.business_partner, self.partner_record)
        self.assertEqual(share.message, "For our audit")
        self.login("other")
        listing = self.client.get(reverse("sharing:share-list", args=[self.sharer.pk]))
        self.assertContains(listing, "Acme Imports LLC")

    def test_the_sharers_managers_are_told_and_the_requester_hears_back(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.request()
        self.assertEqual(mail.outbox[-1].to, ["admin@norte.test"])  # not its viewer
        self.assertIn("Acme Imports LLC", mail.outbox[-1].subject)
        share = Share.objects.get()
        # …and find it in their inbox, linking to the request they decide on.
        notice = Notice.objects.get(kind="share_requested")
        self.assertEqual(
            (notice.user.email, notice.url), ("admin@norte.test", share.get_absolute_url())
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.decide(share, accept="1", parts=["status"])
        self.assertEqual(mail.outbox[-1].to, ["user@acme.test"])
        self.assertIn("Certification status and tier", mail.outbox[-1].body)

    def test_starting_from_a_partner_record_searches_its_name_and_links_it(self) -> None:
        self.login("user")
        url = reverse("sharing:share-list", args=[self.company.pk])
        page = self.client.get(url, {"partner": self.partner_record.pk})
        self.assertContains(page, "Transportes del Norte SA de CV")
        self.assertContains(page, f'<option value="{self.partner_record.pk}" selected>')
        # Another company's record id is ignored.
        theirs = BusinessPartner.objects.create(
            company=self.third_company, name="Secret Name", role="agent", country="US"
        )
        self.assertNotContains(self.client.get(url, {"partner": theirs.pk}), "Secret Name")

    def test_asking_twice_keeps_one_request(self) -> None:
        self.request()
        self.request()
        self.assertEqual(Share.objects.count(), 1)

    def test_non_consenting_company_cannot_be_asked_and_looks_unknown(self) -> None:
        # Certified but never consented to status verification.
        certification_in(State.CERTIFIED, self.third_company)
        self.login("user")
        found = self.client.get(
            reverse("sharing:share-list", args=[self.company.pk]), {"q": "Maple"}
        )
        self.assertNotContains(found, "Maple Brokers")
        answers = []
        for sharer_id in (self.third_company.pk, 999_999):
            response = self.client.post(
                reverse("sharing:share-create", args=[self.company.pk]),
                {"sharer": sharer_id},
                follow=True,
            )
            notes = [str(m) for m in response.context["messages"]]
            answers.append((response.redirect_chain, notes))
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[0][1], ["partner: no participating member with that id."])
        self.assertFalse(Share.objects.exists())

    def test_search_finds_a_participating_member(self) -> None:
        self.login("user")
        found = self.client.get(
            reverse("sharing:share-list", args=[self.company.pk]), {"q": "Norte"}
        )
        self.assertContains(found, "Transportes del Norte SA de CV")

    def test_another_companys_partner_record_is_refused(self) -> None:
        theirs = BusinessPartner.objects.create(
            company=self.third_company, name="Someone", role="agent", country="US"
        )
        with self.assertRaises(SharingRefused):
            workflow.request_share(
                self.company, self.sharer.pk, by=self.users["user"], business_partner=theirs
            )
        # The page offers only our own records.
        self.request(business_partner=theirs.pk)
        self.assertFalse(Share.objects.exists())

    def test_a_viewer_cannot_request(self) -> None:
        self.assertEqual(self.request("viewer").status_code, 404)
        self.assertFalse(Share.objects.exists())


class DecisionTests(SharingTestCase):
    def test_manager_accepts_with_a_scope_and_expiry(self) -> None:
        share = self.pending()
        until = timezone.localdate() + datetime.timedelta(days=30)
        response = self.decide(
            share, accept="1", parts=["status", "readiness"], expires_on=until.isoformat()
        )
        self.assertRedirects(response, share.get_absolute_url())
        share.refresh_from_db()
        self.assertEqual(share.status, "accepted")
        self.assertEqual(share.parts(), ["status", "readiness"])
        self.assertEqual(share.expires_on, until)
        self.assertEqual(share.decided_by, self.users["other"])
        self.assertIsNotNone(share.decided_at)

    def test_only_the_manage_role_may_accept(self) -> None:
        share = self.pending()
        # The sharer's viewer, and every member of the customer, get 404.
        for user in (self.sharer_viewer, self.users["officer"], self.users["viewer"]):
            response = self.decide(share, user, accept="1", parts=["status"])
            self.assertEqual(response.status_code, 404)
        with self.assertRaises(SharingRefused):
            workflow.accept(share, by=self.sharer_viewer, parts=["status"])
        share.refresh_from_db()
        self.assertEqual(share.status, "requested")

    def test_accepting_needs_at_least_one_part_and_a_future_date(self) -> None:
        share = self.pending()
        response = self.decide(share, accept="1")
        notes = self.messages_after(response)
        self.assertEqual(notes, ["parts: Choose at least one part of the profile to share."])
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        response = self.decide(
            share, accept="1", parts=["status"], expires_on=yesterday.isoformat()
        )
        notes = self.messages_after(response)
        self.assertEqual(notes, ["expires_on: Choose today or a later date, or leave it empty."])
        share.refresh_from_db()
        self.assertEqual(share.status, "requested")

    def test_reject_then_a_new_request_is_possible(self) -> None:
        share = self.pending()
        self.decide(share, accept="0")
        share.refresh_from_db()
        self.assertEqual(share.status, "rejected")
        self.assertEqual(self.page(share).status_code, 404)
        self.request()
        self.assertEqual(Share.objects.filter(status="requested").count(), 1)


class ScopeTests(SharingTestCase):
    def test_status_and_readiness_only(self) -> None:
        share = self.shared("status", "readiness")
        page = self.page(share)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Certified (tier 1)")
        self.assertContains(page, "1. Security Vision &amp; Responsibility")
        # From the submitted snapshot: 1.1 Should implemented, 1.2 Must not = 1/4.
        self.assertContains(page, "25 %")
        self.assertContains(page, "50 %")
        self.assertNotContains(page, "Criterion 1.2 summary")
        self.assertNotContains(page, "Latest profile submission")
        self.assertNotContains(page, "We do not haul")
        self.assertNotContains(page, self.sharer.account_number)

        text = self.pdf_text(share)
        self.assertIn("Certified (tier 1)", text)
        self.assertIn("25 %", text)
        self.assertNotIn("Criterion 1.2", text)
        self.assertNotIn("Latest profile submission", text)

        data = self.api(share).json()
        self.assertEqual(
            set(data),
            {
                "sharer",
                "parts",
                "expires_on",
                "shared_on",
                "certification",
                "catalogue",
                "readiness",
            },
        )
        self.assertEqual(data["certification"]["tier"], 1)
        self.assertEqual(
            [(c["number"], c["score"]) for c in data["readiness"]["categories"]],
            [(1, 25), (3, None), (4, 50)],
        )

    def test_criteria_only_from_the_snapshot_not_the_draft(self) -> None:
        share = self.shared("criteria")
        page = self.page(share)
        self.assertContains(page, "Criterion 1.2 summary")
        self.assertNotContains(page, "Certified (tier 1)")
        self.assertNotContains(page, "Percent met")
        self.assertNotContains(page, "25 %")
        data = self.api(share).json()
        self.assertNotIn("certification", data)
        self.assertNotIn("readiness", data)
        self.assertNotIn("submitted_on", data)
        first = data["criteria"][0]
        # 1.2 was implemented in the draft after the submission: still not met here.
        self.assertEqual([c["ref_id"] for c in first["met"]], ["1.1"])
        self.assertEqual([c["ref_id"] for c in first["not_met"]], ["1.2"])
        self.assertEqual([c["ref_id"] for c in data["criteria"][1]["not_applicable"]], ["3.8"])
        self.assertEqual([c["ref_id"] for c in data["criteria"][2]["not_met"]], ["4.1"])
        text = self.pdf_text(share)
        self.assertIn("1.2", text)
        self.assertNotIn("Certified (tier 1)", text)
        self.assertNotIn("Percent met", text)
        # Narratives, reasons, owners and evidence are never part of a summary.
        self.assertNotIn("We do not haul", str(data) + page.content.decode() + text)

    def test_submission_date_only(self) -> None:
        share = self.shared("submitted")
        data = self.api(share).json()
        self.assertEqual(
            data["submitted_on"], timezone.localdate(self.submission.submitted_at).isoformat()
        )
        self.assertEqual(
            set(data) - {"sharer", "parts", "expires_on", "shared_on"}, {"submitted_on"}
        )
        self.assertContains(self.page(share), data["submitted_on"])

    def test_a_sharer_that_never_submitted_shows_no_draft(self) -> None:
        Share.objects.all().delete()
        participating(self.third_company, self.users["consultant"])
        start_profile(self.third_company)
        share = Share.objects.create(
            requester=self.company,
            sharer=self.third_company,
            requested_by=self.users["user"],
            status="accepted",
            share_readiness=True,
            share_criteria=True,
        )
        data = self.api(share).json()
        self.assertIsNone(data["readiness"])
        self.assertIsNone(data["criteria"])
        self.assertContains(self.page(share), "has not been submitted yet")


class RevocationTests(SharingTestCase):
    def assert_gone(self, share: Share) -> None:
        self.assertEqual(self.page(share).status_code, 404)
        self.login("viewer")
        pdf = self.client.get(reverse("sharing:summary-pdf", args=[self.company.pk, share.pk]))
        self.assertEqual(pdf.status_code, 404)
        self.assertEqual(self.api(share).status_code, 404)

    def test_revoked_share_answers_404(self) -> None:
        share = self.shared("status")
        self.assertEqual(self.page(share).status_code, 200)
        self.client.force_login(self.users["other"])
        self.client.post(reverse("sharing:share-revoke", args=[self.sharer.pk, share.pk]))
        share.refresh_from_db()
        self.assertEqual((share.status, share.revoked_by), ("revoked", self.users["other"]))
        self.assert_gone(share)

    def test_expired_share_behaves_as_revoked(self) -> None:
        share = self.shared("status", expires_on=timezone.localdate())
        self.assertEqual(self.page(share).status_code, 200)  # the last day still counts
        Share.objects.filter(pk=share.pk).update(
            expires_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        self.assert_gone(share)
        self.login("viewer")
        listing = self.client.get(reverse("sharing:share-list", args=[self.company.pk]))
        self.assertContains(listing, "Expired")
        self.assertNotContains(listing, share.get_summary_url())

    def test_a_pending_request_shows_nothing(self) -> None:
        self.assert_gone(self.pending())

    def test_the_sharer_cannot_open_the_customers_summary_url(self) -> None:
        share = self.shared("status")
        self.client.force_login(self.users["other"])
        response = self.client.get(
            reverse("sharing:summary-detail", args=[self.sharer.pk, share.pk])
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.api(share, "other").status_code, 404)


class TrailTests(SharingTestCase):
    def test_request_decision_views_and_revocation_are_recorded(self) -> None:
        self.request()
        share = Share.objects.get()
        self.decide(share, accept="1", parts=["status"])
        self.page(share, "viewer")
        self.pdf_text(share, "admin")
        self.api(share, "officer")
        self.client.force_login(self.users["other"])
        self.client.post(reverse("sharing:share-revoke", args=[self.sharer.pk, share.pk]))

        views = ShareView.objects.filter(share=share).order_by("pk")
        self.assertEqual(
            [(v.viewer, v.channel) for v in views],
            [
                (self.users["viewer"], "page"),
                (self.users["admin"], "pdf"),
                (self.users["officer"], "api"),
            ],
        )
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Share), object_pk=str(share.pk)
        ).order_by("pk")
        self.assertEqual(
            [(e.action, e.actor) for e in entries],
            [
                (LogEntry.Action.CREATE, self.users["user"]),
                (LogEntry.Action.UPDATE, self.users["other"]),
                (LogEntry.Action.UPDATE, self.users["other"]),
            ],
        )
        self.assertTrue(all(e.additional_data["company_id"] == self.sharer.pk for e in entries))
        self.assertEqual(entries[2].changes_dict["status"], ["accepted", "revoked"])

        # The sharer reads the whole trail; its own audit page lists the share too.
        detail = self.client.get(share.get_absolute_url())
        for text in (
            "Requested",
            "Shared: Certification status and tier",
            "Revoked",
            "viewer@acme.test",
            "Viewed the summary (PDF)",
            "officer@acme.test",
        ):
            self.assertContains(detail, text)
        audit = self.client.get(reverse("companies:audit-log", args=[self.sharer.pk]))
        self.assertEqual(audit.status_code, 200)
        self.assertContains(audit, "profile share")

    def test_a_viewer_sees_received_summaries_but_cannot_decide(self) -> None:
        share = self.shared("status")
        self.login("viewer")
        listing = self.client.get(reverse("sharing:share-list", args=[self.company.pk]))
        self.assertContains(listing, share.get_summary_url())
        self.assertEqual(self.page(share).status_code, 200)
        incoming = Share.objects.create(
            requester=self.sharer, sharer=self.company, requested_by=self.users["other"]
        )
        self.login("viewer")
        detail = self.client.get(incoming.get_absolute_url())
        self.assertEqual(detail.status_code, 200)
        self.assertNotContains(detail, 'name="accept"')
        response = self.client.post(
            reverse("sharing:share-decide", args=[self.company.pk, incoming.pk]),
            {"accept": "1", "parts": ["status"]},
        )
        self.assertEqual(response.status_code, 404)
        incoming.refresh_from_db()
        self.assertEqual(incoming.status, "requested")


class ApiListTests(SharingTestCase):
    def test_lists_shares_given_and_received(self) -> None:
        received = self.shared("status")
        given = Share.objects.create(
            requester=self.sharer, sharer=self.company, requested_by=self.users["other"]
        )
        self.login("viewer")
        url = reverse("api:share-list")
        ids = {row["id"] for row in self.client.get(url).json()["results"]}
        self.assertEqual(ids, {received.pk, given.pk})
        got = self.client.get(url, {"direction": "received"}).json()["results"]
        self.assertEqual(
            [(r["id"], r["active"], r["parts"]) for r in got], [(received.pk, True, ["status"])]
        )
        got = self.client.get(url, {"direction": "given"}).json()["results"]
        self.assertEqual([r["id"] for r in got], [given.pk])
        # A stranger to both companies sees neither.
        self.client.force_login(make_user("nobody@example.test"))
        self.assertEqual(self.client.get(url).json()["results"], [])
        self.assertEqual(
            self.client.get(reverse("api:share-detail", args=[received.pk])).status_code, 404
        )
