"""The partners dashboard (issue 6): how the portfolio stands on vetting.

Counts of partners by vetting path (short: a current CTPAT or MRA-recognised status with
proof; full: the questionnaire) and criticality tier, open screening alerts, program
statuses whose proof expires within 60 days, questionnaire figures, and a chart of the
portfolio by country and tier.

What the apps above partners know comes through `core.panels` (page `PAGE`), filled from
their `AppConfig.ready()`: `recognition.dashboard` gives `short_path` (a filter), `expiring`,
`lapsed` and `warning_days`; `questionnaires.dashboard` gives `questionnaires`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_countries import countries

from companies.models import Company
from core import panels
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404
from partners.models import (
    OPEN_STATUSES,
    BusinessPartner,
    PartnerScreening,
    ScreeningStatus,
    Tier,
)

PAGE = "partners.dashboard"
TOP_COUNTRIES = 12
SHORT, FULL = "short", "full"  # the vetting paths
# The latest screening of each partner, in the groups the dashboard counts.
NOT_SCREENED, CLEAR, OPEN, MATCH, CLEARED = "none", "clear", "open", "match", "cleared"
SCREENING_GROUPS = [
    (NOT_SCREENED, _lazy("Not screened")),
    (CLEAR, _lazy("Clear")),
    (OPEN, _lazy("Alert waiting for review")),
    (MATCH, _lazy("True match")),
    (CLEARED, _lazy("Cleared by a reviewer")),
]
SCREENING_GROUP: dict[str, str] = {
    str(ScreeningStatus.CLEAR): CLEAR,
    **{str(status): OPEN for status in OPEN_STATUSES},
    str(ScreeningStatus.TRUE_MATCH): MATCH,
    str(ScreeningStatus.FALSE_POSITIVE): CLEARED,
    str(ScreeningStatus.CLOSED): CLEARED,
}


def figures(company: Company, user: Any, today: Any = None) -> dict[str, Any]:
    """Every number on the dashboard, for one company as `user` may see it. Counted in
    the database: one grouped pass of the `partner_dashboard` index (tier × country ×
    hold × latest screening status, kept on the partner by `note_latest_screenings`; a
    hundred rows or so), the short path by tier and the open alerts: the page's queries
    and its Python work do not grow with the partners."""
    today = today or timezone.localdate()
    extra = panels.figures(PAGE, company=company, user=user, today=today)
    short_path: Q = extra.pop("short_path", Q(pk__in=[]))
    by_path: Counter[tuple[str, str]] = Counter()
    by_country: Counter[tuple[str, str]] = Counter()
    by_screening: Counter[tuple[str, str]] = Counter()
    on_hold = 0
    # `company = %s` alone (not also `IN (the user's companies)`): the planner then reads
    # the company's entries of the covering index and nothing else.
    partners = BusinessPartner.objects.for_user_listing(user, "view", company.pk).filter(
        company=company
    )
    counted = (
        partners.order_by()
        .values_list("tier", "country", "on_hold", "screening_status")
        .annotate(n=Count("*"))
    )
    for tier, country, held, status, n in counted:
        on_hold += n if held else 0
        by_path[(FULL, tier)] += n  # less the short path, below
        by_country[(str(country), tier)] += n
        by_screening[(SCREENING_GROUP.get(status, NOT_SCREENED), tier)] += n
    # The short path's filter is a few subqueries: counted on their own, they drive the
    # query from the (few) statuses instead of being tested against every partner.
    for tier, n in (
        partners.filter(short_path).order_by().values_list("tier").annotate(n=Count("*"))
    ):
        by_path[(SHORT, tier)] += n
        by_path[(FULL, tier)] -= n
    tiers = [(str(t.value), str(t.label)) for t in (Tier.HIGH, Tier.MEDIUM, Tier.LOW)]
    path_rows: list[dict[str, Any]] = [
        {
            "tier": label,
            "short": by_path[(SHORT, value)],
            "full": by_path[(FULL, value)],
            "total": by_path[(SHORT, value)] + by_path[(FULL, value)],
        }
        for value, label in tiers
    ]
    screening_rows = [
        {"tier": label, "counts": [by_screening[(group, value)] for group, _l in SCREENING_GROUPS]}
        for value, label in tiers
    ]
    totals = {
        "short": sum(r["short"] for r in path_rows),
        "full": sum(r["full"] for r in path_rows),
        "total": sum(r["total"] for r in path_rows),
    }
    country_totals: Counter[str] = Counter()
    for (country, _tier), n in by_country.items():
        country_totals[country] += n
    top = [c for c, _n in country_totals.most_common(TOP_COUNTRIES)]
    others = [c for c in country_totals if c not in top]
    chart = {
        "labels": [countries.name(c) or c for c in top]
        + ([_("Other countries")] if others else []),
        "datasets": [
            {
                "tier": value,
                "label": label,
                "data": [by_country[(c, value)] for c in top]
                + ([sum(by_country[(c, value)] for c in others)] if others else []),
            }
            for value, label in tiers
        ],
    }
    open_alerts = open_alert_count(user, company)
    return {
        "path_rows": path_rows,
        "totals": totals,
        "open_alerts": open_alerts,
        "on_hold": on_hold,
        "expiring": [],
        "lapsed": [],
        "warning_days": 0,
        "questionnaires": {},
        "screening_groups": [label for _g, label in SCREENING_GROUPS],
        "screening_rows": screening_rows,
        "chart": chart,
        **extra,
    }


def open_alert_count(user: Any, company: Company) -> int:
    """The company's open alerts, counted in the (company, status, …) index."""
    return (
        PartnerScreening.objects.for_user(user)
        .filter(company=company, status__in=OPEN_STATUSES)
        .count()
    )


@login_required
def partner_dashboard(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    context = figures(company, request.user)
    context["company"] = company
    # Only editors handle alerts; the tile links there for them.
    context["can_edit"] = Company.objects.for_user(request.user, "edit").filter(pk=company.pk)
    context["can_edit"] = context["can_edit"].exists()
    return render(request, "partners/partner_dashboard.html", context)
