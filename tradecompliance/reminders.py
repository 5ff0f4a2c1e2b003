"""The Annual Notification Letter in the reminder registry (`core.reminders`).

From the approval of a company's Trade Compliance application, its next letter waits on
the company's officers and administrators, due on the anniversary of the approval (our
choice: CBP asks for the letter every year without publishing the day). Reminded 60, 30, 7
and 1 days before and once overdue (within 90 days)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import reminders
from core.reminders import Scope, Task
from tradecompliance.models import AnnualNotification, Status, TradeComplianceApplication

KIND = "trade_compliance_anl"
STAGES = (60, 30, 7, 1)
OVERDUE_FOR = 90


def annual_letters(scope: Scope) -> Iterator[Task]:
    last_cycle = (
        AnnualNotification.objects.filter(company_id=OuterRef("company_id"))
        .order_by()
        .values("company_id")
        .annotate(m=Max("cycle"))
        .values("m")
    )
    approved = (
        scope.companies(TradeComplianceApplication.objects.filter(status=Status.APPROVED))
        .annotate(last_cycle=Subquery(last_cycle))
        .select_related("company")
        .only("pk", "company_id", "approved_on", "company__legal_name")
    )
    if scope.personal:  # the letter waits on officers and administrators only
        approved = approved.filter(company_id__in=scope.managed)
    for application in approved:
        cycle = (application.last_cycle or 0) + 1
        due = application.anl_due(cycle)
        if due is None:
            continue
        for email in scope.managers(application.company_id):
            yield Task(
                KIND,
                f"{application.company_id}:{cycle}:{due}",
                application.company_id,
                email,
                due,
                format_lazy(
                    "{}: {}",
                    _("Trade Compliance Annual Notification Letter"),
                    application.company.legal_name,
                ),
                reverse("tradecompliance:anl", args=[application.company_id]),
            )


def register() -> None:
    reminders.register(KIND, annual_letters, stages=STAGES, overdue_for=OVERDUE_FOR)
