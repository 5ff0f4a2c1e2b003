"""The risk assessment as evidence on MSC 2.1-2.4 in the security profile.

`evidence_for(company, criterion_id)` answers, for the risk-assessment criteria, the last
completed assessment (with its supply chains for 2.2) and when the next review is due
(2.3); other criteria get an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from companies.models import Company
from risk.models import Assessment, next_review_due

CRITERIA = {"2.1", "2.2", "2.3", "2.4"}


@dataclass(frozen=True)
class Item:
    label: str
    value: str
    url: str


def evidence_for(company: Company, criterion_id: str) -> list[Item]:
    ref = criterion_id.strip()
    if ref not in CRITERIA:
        return []
    last = (
        Assessment.objects.completed()
        .filter(company=company)
        .annotate(chains_count=Count("chains"))
        .order_by("-completed_at")
        .first()
    )
    if last is None or last.completed_at is None:
        return [
            Item(
                _("Risk assessment"),
                _("none completed yet"),
                reverse("risk:assessment-list", args=[company.pk]),
            )
        ]
    when = formats.date_format(timezone.localdate(last.completed_at), "DATE_FORMAT")
    items = [
        Item(
            _("Risk assessment %(year)s") % {"year": last.year},
            _("completed on %(date)s") % {"date": when},
            last.get_absolute_url(),
        )
    ]
    if ref == "2.2":
        items.append(
            Item(
                _("Supply chains mapped"),
                str(getattr(last, "chains_count", 0)),
                last.get_absolute_url(),
            )
        )
    if ref == "2.3":
        due = next_review_due(company)
        if due is not None:
            late = due < timezone.localdate()
            value = formats.date_format(due, "DATE_FORMAT")
            items.append(
                Item(
                    _("Next review due"),
                    _("%(date)s (overdue)") % {"date": value} if late else value,
                    reverse("risk:assessment-list", args=[company.pk]),
                )
            )
    return items
