"""Planning, recording and completing a site audit; the partner's link; the next audit
due by tier; reminders and evidence figures."""

from __future__ import annotations

import datetime

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from actions.choices import ActionStatus
from core import reminders
from core.models import SentReminder
from core.refusals import Invalid, NotAllowed
from notices.models import Notice
from portal.testing import PersonaTestCase
from profiles.tests.factories import MEDIA_ROOT, load_msc, make_catalogue
from siteaudits import checklists, evidence, schedule, workflow
from siteaudits.choices import AuditStatus
from siteaudits.models import OwnChecklist, PartnerReply, SiteAudit
from siteaudits.reminders import DUE, VISIT
from siteaudits.tests.world import make_partner, photo_upload, plan, record_all

# The first criterion of the shipped Spanish table (catalogue/data/criteria-es.csv).
SUMMARY_EN = (
    "Senior leadership signs and posts a statement backing supply chain security and "
    "CTPAT participation."
)
SUMMARY_ES = (
    "La alta dirección firma y publica una declaración de apoyo a la seguridad de la "
    "cadena de suministro y a la participación en CTPAT."
)


class ShippedCatalogueTests(PersonaTestCase):
    def test_a_factory_is_audited_on_the_shipped_msc_for_manufacturers_in_both_languages(
        self,
    ) -> None:
        catalogue = load_msc()
        factory = make_partner(self.company, name="Textiles Lerma", role="manufacturer")
        audit = plan(self.company, factory, self.users["user"])
        expected = list(
            catalogue.criteria_for("foreign_manufacturer")
            .order_by("category_number", "sequence")
            .values_list("ref_id", flat=True)
        )
        self.assertGreater(len(expected), 50)
        self.assertEqual(list(audit.items.values_list("ref", flat=True)), expected)
        self.assertEqual(
            (audit.business_type, audit.catalogue), ("foreign_manufacturer", catalogue)
        )
        first = audit.items.get(ref="1.1")
        self.assertEqual((first.text, first.text_in("es")), (SUMMARY_EN, SUMMARY_ES))
        self.assertFalse(audit.items.filter(text_es="").exists())


class PlanTests(PersonaTestCase):
    def setUp(self) -> None:
        self.catalogue = make_catalogue()
        self.auditor = self.users["user"]

    def test_the_msc_checklist_is_the_criteria_of_the_partners_business_type(self) -> None:
        carrier = make_partner(self.company)
        audit = plan(self.company, carrier, self.auditor)
        # highway_carrier applies to 1.1, 1.2, 3.8 and 4.1 in the small catalogue.
        self.assertEqual(
            list(audit.items.values_list("ref", flat=True)), ["1.1", "1.2", "3.8", "4.1"]
        )
        self.assertEqual(audit.business_type, "highway_carrier")
        self.assertEqual(audit.tier, carrier.tier)
        # No shipped Spanish for the test wording: the English stands in.
        self.assertEqual(audit.items.get(ref="1.2").text_in("es"), "Criterion 1.2 summary")

    def test_a_forwarder_is_audited_on_the_consolidator_criteria(self) -> None:
        self.assertEqual(checklists.business_type_for("forwarder"), "consolidator")
        self.assertEqual(checklists.business_type_for("warehouse"), "third_party_logistics")
        forwarder = make_partner(self.company, name="Carga Sur", role="forwarder")
        # The small catalogue has no consolidator criteria: nothing to check is refused.
        with self.assertRaises(checklists.NoChecklist):
            plan(self.company, forwarder, self.auditor)

    def test_an_agent_needs_the_members_own_checklist(self) -> None:
        agent = make_partner(self.company, name="Agente Uno", role="agent")
        with self.assertRaises(checklists.NoChecklist) as refused:
            plan(self.company, agent, self.auditor)
        self.assertIn("own checklists", str(refused.exception))
        self.assertFalse(SiteAudit.objects.exists())
        own = OwnChecklist.objects.create(
            company=self.company,
            name="Agents",
            items=[{"ref": "3.5", "text": "Visitors escorted", "text_es": "Visitas acompañadas"}],
        )
        audit = plan(self.company, agent, self.auditor, source="own", own_checklist=own)
        item = audit.items.get()
        self.assertEqual((item.ref, item.text_in("es")), ("3.5", "Visitas acompañadas"))

    def test_another_companys_partner_or_auditor_is_refused(self) -> None:
        other = make_partner(self.other_company)
        with self.assertRaises(Invalid):
            plan(self.company, other, self.auditor)
        with self.assertRaises(Invalid) as refused:
            plan(self.company, make_partner(self.company), self.users["other"])
        self.assertEqual(refused.exception.code, "site_audit_auditor")
        self.assertFalse(SiteAudit.objects.exists())

    def test_own_checklist_lines_are_parsed_and_bad_lines_named(self) -> None:
        items, errors = checklists.parse_lines(
            "3.5 | Visitors escorted | Visitas acompañadas\nFence intact\n\n7.1 |  | sin texto\n"
            "a-very-long-reference | Text"
        )
        self.assertEqual(
            items,
            [
                {"ref": "3.5", "text": "Visitors escorted", "text_es": "Visitas acompañadas"},
                {"ref": "", "text": "Fence intact", "text_es": ""},
            ],
        )
        self.assertEqual(len(errors), 2)
        self.assertTrue(errors[0].startswith("Line 4:"))
        self.assertTrue(errors[1].startswith("Line 5:"))


class RecordAndCompleteTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.auditor = self.users["user"]
        self.partner = make_partner(self.company)
        self.audit = plan(self.company, self.partner, self.auditor)

    def test_an_item_not_met_needs_a_severity_and_notes(self) -> None:
        item = self.audit.items.first()
        assert item is not None
        with self.assertRaises(Invalid):
            workflow.record_item(item, result="not_met", severity="", notes="x", by=self.auditor)
        with self.assertRaises(Invalid):
            workflow.record_item(
                item, result="not_met", severity="major", notes=" ", by=self.auditor
            )
        item.refresh_from_db()
        self.assertEqual(item.result, "")
        saved = workflow.record_item(
            item, result="met", severity="major", notes="", by=self.auditor
        )
        self.assertEqual((saved.result, saved.severity), ("met", ""))
        self.audit.refresh_from_db()
        self.assertEqual(self.audit.status, AuditStatus.IN_PROGRESS)

    def test_completing_refuses_while_items_are_unchecked(self) -> None:
        with self.assertRaises(workflow.ItemsUnchecked) as refused:
            workflow.complete_audit(self.audit, by=self.auditor)
        self.assertIn("4 items", str(refused.exception))
        self.audit.refresh_from_db()
        self.assertTrue(self.audit.is_open)

    def test_completing_raises_one_action_per_item_not_met_and_emails_the_link(self) -> None:
        record_all(self.audit, self.auditor, fail=2)
        item = self.audit.items.get(position=2)
        workflow.record_item(
            item, result="not_met", severity="critical", notes="No CCTV", by=self.auditor
        )
        with self.captureOnCommitCallbacks(execute=True):
            actions, token = workflow.complete_audit(
                self.audit, by=self.auditor, summary="Two gaps"
            )
        today = timezone.localdate()
        self.assertEqual(
            sorted((a.criterion_ref, a.due_date and (a.due_date - today).days) for a in actions),
            [("1.1", 60), ("1.2", 30)],
        )
        self.assertTrue(all(a.owner == self.auditor for a in actions))
        self.audit.refresh_from_db()
        self.assertEqual(self.audit.status, AuditStatus.COMPLETED)
        self.assertEqual(workflow.by_token(token), self.audit)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["seguridad@tnorte.test"])
        # Spanish report: the e-mail goes in Spanish.
        self.assertIn("Acciones correctivas", mail.outbox[0].subject)
        self.assertIn(workflow.link_path(token), mail.outbox[0].body)
        with self.assertRaises(workflow.AuditCompleted):
            workflow.complete_audit(self.audit, by=self.auditor)
        with self.assertRaises(workflow.AuditCompleted):
            workflow.record_item(item, result="met", severity="", notes="", by=self.auditor)

    def test_a_photo_goes_on_an_open_audit_only(self) -> None:
        item = self.audit.items.get(position=1)
        with override_settings(MEDIA_ROOT=MEDIA_ROOT):
            photo = workflow.add_item_photo(item, upload=photo_upload(), by=self.auditor)
            self.assertEqual((photo.item, photo.uploaded_by), (item, self.auditor))
            record_all(self.audit, self.auditor, fail=0)
            workflow.complete_audit(self.audit, by=self.auditor)
            with self.assertRaises(workflow.AuditCompleted):
                workflow.add_item_photo(item, upload=photo_upload("late.png"), by=self.auditor)
        self.assertEqual(item.photos.count(), 1)

    def test_an_audit_with_everything_met_gives_no_link(self) -> None:
        record_all(self.audit, self.auditor, fail=0)
        actions, token = workflow.complete_audit(self.audit, by=self.auditor)
        self.assertEqual((actions, token), ([], ""))
        with self.assertRaises(NotAllowed):
            workflow.new_link(self.audit, by=self.auditor)


class PartnerLinkTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.auditor = self.users["user"]
        self.audit = plan(self.company, make_partner(self.company), self.auditor)
        record_all(self.audit, self.auditor)
        (self.action,), self.token = workflow.complete_audit(self.audit, by=self.auditor)

    def test_a_reply_is_kept_moves_the_action_on_and_tells_the_member(self) -> None:
        answer = workflow.reply(self.audit, self.action, name="Ana Ruiz", text="Candado nuevo")
        self.action.refresh_from_db()
        self.assertEqual(self.action.status, ActionStatus.IN_PROGRESS)
        self.assertEqual(PartnerReply.objects.get(), answer)
        told = set(Notice.objects.filter(kind="site_audit_reply").values_list("user", flat=True))
        self.assertEqual(told, {self.auditor.pk, self.users["officer"].pk, self.users["admin"].pk})

    def test_a_closed_action_takes_no_more_answers(self) -> None:
        self.action.status, self.action.completion_note = ActionStatus.DONE, "Checked"
        self.action.save()
        with self.assertRaises(NotAllowed):
            workflow.reply(self.audit, self.action, name="Ana", text="Más")

    def test_a_reply_needs_a_name_and_a_text(self) -> None:
        with self.assertRaises(Invalid):
            workflow.reply(self.audit, self.action, name=" ", text="x")
        with self.assertRaises(Invalid):
            workflow.reply(self.audit, self.action, name="Ana", text="")
        self.assertFalse(PartnerReply.objects.exists())

    def test_a_new_link_replaces_the_old_one_and_links_expire(self) -> None:
        fresh = workflow.new_link(self.audit, by=self.auditor)
        self.assertIsNone(workflow.by_token(self.token))
        self.assertEqual(workflow.by_token(fresh), self.audit)
        later = timezone.now() + datetime.timedelta(days=61)
        self.assertIsNone(workflow.by_token(fresh, now=later))
        self.assertIsNone(workflow.by_token("x" * 101))


class ScheduleTests(PersonaTestCase):
    def test_next_due_by_tier_from_the_settings(self) -> None:
        day = datetime.date(2026, 1, 31)
        self.assertEqual(schedule.next_due("high", day), datetime.date(2027, 1, 31))
        self.assertEqual(schedule.next_due("medium", day), datetime.date(2028, 1, 31))
        self.assertEqual(schedule.next_due("low", day), datetime.date(2029, 1, 31))
        self.assertIsNone(schedule.next_due("high", None))
        with override_settings(CTPAT_SITE_AUDIT_MONTHS_HIGH=6, CTPAT_SITE_AUDIT_MONTHS_LOW=0):
            self.assertEqual(schedule.next_due("high", day), datetime.date(2026, 7, 31))
            self.assertIsNone(schedule.next_due("low", day))
        self.assertEqual(schedule.add_months(day, 1), datetime.date(2026, 2, 28))


class ReminderAndEvidenceTests(PersonaTestCase):
    def setUp(self) -> None:
        make_catalogue()
        self.auditor = self.users["user"]
        self.partner = make_partner(self.company, tier_override="high")
        self.partner.refresh_tier()
        self.partner.save()

    def _completed(self, days_ago: int) -> SiteAudit:
        audit = plan(self.company, self.partner, self.auditor)
        record_all(audit, self.auditor)
        workflow.complete_audit(audit, by=self.auditor)
        SiteAudit.objects.filter(pk=audit.pk).update(
            completed_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return audit

    def test_a_planned_visit_waits_on_its_auditor(self) -> None:
        audit = plan(self.company, self.partner, self.auditor, planned_on=timezone.localdate())
        tasks = [t for t in reminders.tasks_for(self.auditor) if t.kind == VISIT]
        self.assertEqual(
            [(t.url, t.email) for t in tasks], [(audit.get_absolute_url(), "user@acme.test")]
        )

    def test_the_next_audit_falls_due_by_tier_reminds_once_and_leaves_when_planned(self) -> None:
        self._completed(days_ago=300)  # high: due 12 months on, ~65 days away
        self.assertEqual(
            [t for t in reminders.tasks_for(self.users["officer"]) if t.kind == DUE], []
        )
        SiteAudit.objects.update(completed_at=timezone.now() - datetime.timedelta(days=340))
        due = [t for t in reminders.tasks_for(self.users["officer"]) if t.kind == DUE]
        self.assertEqual(len(due), 1)
        self.assertIn(f"?partner={self.partner.pk}", due[0].url)
        sent = reminders.send_reminders()
        self.assertEqual(
            {d.task.email for d in sent if d.task.kind == DUE},
            {"officer@acme.test", "admin@acme.test"},
        )
        self.assertEqual(reminders.send_reminders(), [])
        self.assertEqual(SentReminder.objects.filter(kind=DUE).count(), 2)
        plan(self.company, self.partner, self.auditor)
        self.assertEqual(
            [t for t in reminders.tasks_for(self.users["officer"]) if t.kind == DUE], []
        )

    def test_audits_are_evidence_on_the_business_partner_criteria(self) -> None:
        self.assertEqual(evidence.evidence_for(self.company, "3.1"), [])
        self._completed(days_ago=10)
        figures = {f.label: f.value for f in evidence.evidence_for(self.company, "3.1")}
        self.assertEqual(figures["Partners audited on site, last 12 months"], "1")
        self.assertEqual(
            figures["High-criticality partners audited on site, last 12 months"], "1/1"
        )
        self.assertEqual(figures["Open corrective actions from site audits"], "1")
        self.assertEqual(evidence.evidence_for(self.company, "5.1"), [])
