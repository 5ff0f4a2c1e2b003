"""Site audits as evidence on the business-partner criteria (MSC 3.x) of the security
profile: how many partners were audited on site in the last twelve months, how many of the
high-criticality ones, and the corrective actions those audits left open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import CorrectiveAction
from companies.models import Company
from partners.models import BusinessPartner, Tier
from siteaudits.choices import AuditStatus
from siteaudits.models import AuditItem, SiteAudit

PREFIX = "3."


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str


def evidence_for(company: Company, criterion_id: str) -> list[Figure]:
    if not criterion_id.strip().startswith(PREFIX):
        return []
    since = timezone.now() - datetime.timedelta(days=365)
    done = SiteAudit.objects.filter(
        company=company, status=AuditStatus.COMPLETED, completed_at__gte=since
    )
    if not SiteAudit.objects.filter(company=company).exists():
        return []
    audited = done.values("partner").distinct().count()
    high = BusinessPartner.objects.filter(company=company, tier=Tier.HIGH)
    high_audited = high.filter(pk__in=done.values("partner")).count()
    open_actions = (
        CorrectiveAction.objects.open()
        .filter(
            company=company,
            source_type=ContentType.objects.get_for_model(AuditItem),
        )
        .count()
    )
    url = reverse("siteaudits:audit-list", args=[company.pk])
    return [
        Figure(_("Partners audited on site, last 12 months"), str(audited), url),
        Figure(
            _("High-criticality partners audited on site, last 12 months"),
            f"{high_audited}/{high.count()}",
            url,
        ),
        Figure(_("Open corrective actions from site audits"), str(open_actions), url),
    ]
