"""The training matrix as a CSV or Excel file (what auditors and validators ask for)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from core.exports import append_text_row, safe_writer
from training.matrix import Cell, Matrix


def _cell_text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    text = str(cell.state.label)
    if cell.due_on:
        text += f" ({_('due')} {cell.due_on.isoformat()})"
    return text


def matrix_table(matrix: Matrix) -> list[list[str]]:
    header = [_("Employee number"), _("Name"), _("Facility"), _("Security roles")]
    for course in matrix.courses:
        header += [course.title, _("Last completed"), _("Due")]
    rows = [header]
    for row in matrix.rows:
        e = row.employee
        line = [
            e.employee_number,
            e.full_name,
            str(e.facility.name or e.facility.city) if e.facility else "",
            "; ".join(r.name for r in e.roles.all()),
        ]
        for cell in row.cells:
            if cell is None:
                line += [_("not required"), "", ""]
            else:
                line += [
                    str(cell.state.label),
                    cell.completed_on.isoformat() if cell.completed_on else "",
                    cell.due_on.isoformat() if cell.due_on else "",
                ]
        rows.append(line)
    return rows


def as_csv(matrix: Matrix) -> bytes:
    buffer = io.StringIO()
    safe_writer(buffer).writerows(matrix_table(matrix))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Training matrix")[:31]
    for line in matrix_table(matrix):
        append_text_row(sheet, line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
