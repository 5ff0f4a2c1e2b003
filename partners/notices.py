"""Screening alerts raised: the company's officers and administrators hear of them in
their inbox and by e-mail (`notices.workflow`), one notice per company and screening run
(a large import raises one notice that links to the alerts page, not hundreds)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from notices.workflow import notify
from partners.models import PartnerScreening, ScreeningStatus


def alerts_raised(screenings: Iterable[PartnerScreening]) -> None:
    """Tell each company of the alerts among `screenings` (saved rows)."""
    by_company: dict[int, list[PartnerScreening]] = defaultdict(list)
    for s in screenings:
        if s.status == ScreeningStatus.ALERT and s.pk:
            by_company[s.partner.company_id].append(s)
    if not by_company:
        return
    companies = Company.objects.in_bulk(list(by_company))
    for company_id, alerts in by_company.items():
        company = companies[company_id]
        pks = sorted(s.pk for s in alerts)
        if len(alerts) == 1:
            partner = alerts[0].partner
            notify(
                "screening_alert",
                str(pks[0]),
                company=company,
                url=reverse("partners:alert-list", args=[company_id]),
                title=_("Screening alert: %(partner)s may be on a watchlist"),
                params={"partner": partner.name},
                body=_("Decide whether it is a true match on the screening alerts page."),
            )
        else:
            notify(
                "screening_alert",
                f"{pks[0]}-{pks[-1]}:{len(pks)}",
                company=company,
                url=reverse("partners:alert-list", args=[company_id]),
                title=_("%(count)s screening alerts raised on your business partners"),
                params={"count": len(alerts)},
                body=_("Decide each one on the screening alerts page."),
            )
