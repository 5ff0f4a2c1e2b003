"""PDF documents from HTML templates (WeasyPrint): the security profile and gap report,
inspection sheets, screening evidence, shared summaries, risk assessments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None) -> bytes:
    return render_pdf_string(render_to_string(template, context, request=request))


def render_pdf_string(html: str) -> bytes:
    """`html` drawn as a PDF. A web process draws a tiny one at start (portal.startup), in
    the documents' fonts (sans-serif, monospace), so no reader waits for them to load."""
    # Imported here: WeasyPrint loads Pango, which only the PDF pages need.
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf


def pdf_response(
    template: str, context: dict[str, Any], request: HttpRequest, filename: str
) -> HttpResponse:
    """The rendered template as a PDF shown in the browser, saved as `filename`."""
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
