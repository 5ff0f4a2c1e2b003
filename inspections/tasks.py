"""Sending an inspection's printable sheet by e-mail, in the background (Django tasks)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.pdf import render_pdf
from inspections.models import Inspection
from inspections.sheet import sheet_context, sheet_filename


@task()
def email_inspection_sheet(inspection_id: int, recipients: list[str], language: str) -> int:
    """Render the sheet in `language` and send it to `recipients`; the number sent."""
    inspection = Inspection.objects.select_related(
        "company", "inspector", "supervisor", "location"
    ).get(pk=inspection_id)
    with translation.override(language):
        pdf = render_pdf("inspections/inspection_sheet.html", sheet_context(inspection), None)
        subject = _("Inspection %(number)s of %(company)s") % {
            "number": inspection.iit_number,
            "company": inspection.company.legal_name,
        }
        body = _(
            "The inspection sheet of %(number)s (%(when)s) is attached as a PDF.\n\n"
            "Sent from OpenCTPAT by %(company)s."
        ) % {
            "number": inspection.iit_number,
            "when": f"{inspection.performed_at:%Y-%m-%d %H:%M}",
            "company": inspection.company.legal_name,
        }
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach(sheet_filename(inspection), pdf, "application/pdf")
    return message.send()
