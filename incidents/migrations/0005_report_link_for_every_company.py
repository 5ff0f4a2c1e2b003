"""Give every existing company a random anonymous-reporting token.

The old links were the signed company id; they stop working with this change (by design:
they could be neither revoked nor expired). Officers find the new link on the incidents
page."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import migrations


def give_every_company_a_link(apps: Any, schema_editor: Any) -> None:
    Company = apps.get_model("companies", "Company")
    ReportLink = apps.get_model("incidents", "ReportLink")
    have = set(ReportLink.objects.values_list("company_id", flat=True))
    ReportLink.objects.bulk_create(
        ReportLink(company_id=pk, token=secrets.token_urlsafe(24))
        for pk in Company.objects.exclude(pk__in=have).values_list("pk", flat=True).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_report_link"),
    ]

    operations = [
        migrations.RunPython(give_every_company_a_link, migrations.RunPython.noop),
    ]
