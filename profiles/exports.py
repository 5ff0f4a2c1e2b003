"""The gap list and the downloads of the profile and the gap report (Excel and PDF).

Excel files are written with openpyxl; every text cell is stored as text, so an answer
that begins with "=" can never become a formula in the reader's spreadsheet. PDFs are the
same HTML templates rendered by WeasyPrint (no browser, no network: the templates embed
their styles and load nothing from outside).
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.choices import Requirement
from core.exports import append_text_row
from core.pdf import render_pdf
from profiles.choices import ResponseStatus
from profiles.models import Row, SecurityProfile
from profiles.readiness import WEIGHTS, Readiness

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENTS = ("profile", "gaps")
FORMATS = ("xlsx", "pdf")
# Unanswered and not implemented are the widest gaps; partly implemented ones come after.
_GAP_ORDER = {
    ResponseStatus.UNANSWERED.value: 0,
    ResponseStatus.NOT_IMPLEMENTED.value: 0,
    ResponseStatus.PARTLY.value: 1,
}


def gaps(rows: list[Row]) -> list[Row]:
    """Criteria not met (neither implemented nor not applicable): unmet Musts first, then
    Shoulds; inside each, the widest gaps first, then by due date (undated last), then in
    catalogue order."""
    unmet = [row for row in rows if not row.is_met]
    far_future = datetime.date.max
    return sorted(
        unmet,
        key=lambda r: (
            not r.is_must,
            _GAP_ORDER.get(r.status, 0),
            r.response.due_date or far_future,
            r.criterion.category_number,
            r.criterion.sequence,
        ),
    )


def _status(row: Row) -> str:
    return str(ResponseStatus(row.status).label)


def _requirement(row: Row) -> str:
    return str(Requirement(row.requirement).label)


# openpyxl (which imports numpy) is imported when a workbook is written, not when the
# URLs are loaded: a second at every start of a web worker or command otherwise.
def _workbook() -> Workbook:
    from openpyxl import Workbook

    return Workbook()


def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def _write_rows(sheet: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = _bold()
    for values in rows:
        append_text_row(sheet, values)
    sheet.freeze_panes = "A2"
    widths = (8, 28, 10, 50, 20, 50, 30, 28, 12, 10, 40, 12)
    for column, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[column].width = width


def _readiness_sheet(sheet: Worksheet, readiness: Readiness) -> None:
    rows: list[list[Any]] = [
        [c.label, c.score, c.answered, c.total, c.musts_unmet] for c in readiness.categories
    ]
    rows.append(
        [
            _("Overall"),
            readiness.overall,
            readiness.answered,
            readiness.total,
            readiness.musts_unmet,
        ]
    )
    _write_rows(
        sheet,
        [_("Category"), _("Readiness %"), _("Answered"), _("Criteria"), _("Unmet Musts")],
        rows,
    )
    sheet.append([])
    sheet.append([_formula_text()])


def _formula_text() -> str:
    return _(
        "Readiness = Σ(weight × credit) / Σ(weight). Weight: Must %(must)s, Should %(should)s. "
        "Credit: implemented 1, partly ½, not implemented or not answered 0. Not applicable "
        "criteria are left out."
    ) % {"must": WEIGHTS["must"], "should": WEIGHTS["should"]}


def profile_workbook(profile: SecurityProfile, rows: list[Row], readiness: Readiness) -> bytes:
    book = _workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Profile")[:31]
    business_type = profile.company.business_type
    _write_rows(
        sheet,
        [
            _("ID"),
            _("Category"),
            _("Must / Should"),
            _("Criterion"),
            _("Status"),
            _("How we meet it"),
            _("Why it does not apply"),
            _("Owner"),
            _("Due date"),
            _("Evidence"),
            _("Provenance"),
            _("Verified"),
        ],
        [
            [
                row.criterion.ref_id,
                row.criterion.category_label,
                _requirement(row),
                row.criterion.summary,
                _status(row),
                row.response.narrative,
                row.response.na_reason,
                row.response.owner.email if row.response.owner else "",
                row.response.due_date,
                row.evidence_count,
                row.criterion.provenance(),
                _("yes") if row.criterion.is_verified_for(business_type) else _("inferred"),
            ]
            for row in rows
        ],
    )
    _readiness_sheet(book.create_sheet(_("Readiness")[:31]), readiness)
    return _save(book)


def gap_workbook(profile: SecurityProfile, rows: list[Row], readiness: Readiness) -> bytes:
    book = _workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Gaps")[:31]
    today = timezone.localdate()
    _write_rows(
        sheet,
        [
            _("ID"),
            _("Category"),
            _("Must / Should"),
            _("Criterion"),
            _("Status"),
            _("Owner"),
            _("Due date"),
            _("Overdue"),
        ],
        [
            [
                row.criterion.ref_id,
                row.criterion.category_label,
                _requirement(row),
                row.criterion.summary,
                _status(row),
                row.response.owner.email if row.response.owner else "",
                row.response.due_date,
                _("yes") if row.response.due_date and row.response.due_date < today else "",
            ]
            for row in gaps(rows)
        ],
    )
    _readiness_sheet(book.create_sheet(_("Readiness")[:31]), readiness)
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_document(
    profile: SecurityProfile, document: str, fmt: str, request: HttpRequest | None = None
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the profile or the gap report."""
    if document not in DOCUMENTS or fmt not in FORMATS:
        raise Http404
    rows = profile.rows()
    readiness = profile.readiness(rows)
    company = profile.company
    stamp = timezone.localdate().isoformat()
    title = "security-profile" if document == "profile" else "gap-report"
    name = f"{title}-{company.account_number}-{stamp}.{fmt}"
    if fmt == "xlsx":
        build = profile_workbook if document == "profile" else gap_workbook
        return name, XLSX, build(profile, rows, readiness)
    context = {
        "company": company,
        "profile": profile,
        "rows": rows,
        "gaps": gaps(rows),
        "readiness": readiness,
        "formula": _formula_text(),
        "generated": timezone.localtime(),
        "today": timezone.localdate(),
    }
    template = (
        "profiles/export_profile.html" if document == "profile" else "profiles/export_gaps.html"
    )
    return name, "application/pdf", render_pdf(template, context, request)


def export(request: HttpRequest, profile: SecurityProfile, document: str, fmt: str) -> HttpResponse:
    name, content_type, body = render_document(profile, document, fmt, request)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
