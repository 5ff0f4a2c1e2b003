"""Site audits in the reminder registry (`core.reminders`).

- `site_audit_due`: a partner whose last completed audit is older than its tier's cycle
  (`siteaudits.schedule`) and that has no audit planned waits on its relationship owner,
  else on the company's officers and administrators; listed from 60 days before the due
  date, reminded 30 and 7 days before and once overdue (up to 90 days after).
- `site_audit_visit`: a planned audit not yet completed waits on its auditor on the visit
  date; reminded 7 and 1 days before.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import reminders
from core.reminders import Scope, Task
from partners.models import BusinessPartner
from siteaudits.choices import AuditStatus
from siteaudits.models import SiteAudit
from siteaudits.schedule import next_due

DUE = "site_audit_due"
VISIT = "site_audit_visit"
# How long before the due date a partner's next audit shows in the task list.
LIST_DAYS = 60


def partners_due(scope: Scope) -> Iterator[Task]:
    completed = Q(site_audits__status=AuditStatus.COMPLETED)
    open_audit = SiteAudit.objects.filter(partner=OuterRef("pk")).exclude(
        status=AuditStatus.COMPLETED
    )
    # Driven from the completed audits (a few a partner audited), not from the
    # company's partners (50,000, each probed for an audit).
    audited = scope.companies(SiteAudit.objects.filter(status=AuditStatus.COMPLETED)).values(
        "partner_id"
    )
    partners = (
        BusinessPartner.objects.filter(pk__in=audited)
        .annotate(last=Max("site_audits__completed_at", filter=completed))
        .filter(~Exists(open_audit))
        .filter(scope.waiting_on_user("relationship_owner", "company"))
        .select_related("relationship_owner")
        .only("pk", "company_id", "name", "tier", "relationship_owner__email")
        .order_by()
    )
    horizon = scope.today + datetime.timedelta(days=LIST_DAYS)
    for partner in partners:
        due = next_due(partner.tier, timezone.localdate(partner.last))
        if due is None or due > horizon:
            continue
        owner = partner.relationship_owner.email if partner.relationship_owner else None
        for email in scope.people(partner.company_id, owner):
            yield Task(
                DUE,
                f"{partner.pk}:{due}",
                partner.company_id,
                email,
                due,
                format_lazy("{}: {}", _("Site audit due"), partner.name),
                f"{_list_url(partner.company_id)}?partner={partner.pk}",
            )


def planned_visits(scope: Scope) -> Iterator[Task]:
    audits = (
        scope.companies(SiteAudit.objects.exclude(status=AuditStatus.COMPLETED))
        .select_related("auditor", "partner")
        .only("pk", "company_id", "planned_on", "auditor__email", "partner__name")
        .order_by()
    )
    if scope.personal:  # a visit waits on its auditor
        audits = audits.filter(auditor_id=scope.user.pk)
    for audit in audits:
        yield Task(
            VISIT,
            f"{audit.pk}:{audit.planned_on}",
            audit.company_id,
            audit.auditor.email.lower(),
            audit.planned_on,
            format_lazy("{}: {}", _("Site audit visit"), audit.partner.name),
            audit.get_absolute_url(),
        )


def _list_url(company_id: int) -> str:
    from django.urls import reverse

    return reverse("siteaudits:audit-list", args=[company_id])


def register() -> None:
    reminders.register(DUE, partners_due, stages=(30, 7), overdue_for=90)
    reminders.register(VISIT, planned_visits, stages=(7, 1), overdue_for=30)
