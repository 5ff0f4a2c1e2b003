"""The training matrix export (CSV or Excel) through `core.export_jobs` (registered in
`TrainingConfig`). Under `IMMEDIATE_BELOW` active employees the file is built in the
request; above, in the background with progress."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.export_jobs import ExportContext, Output, csv_text, replay_request
from personnel.models import Employee

# Active employees below which the matrix file is built in the request. The crawl
# (issue 21) took 5.3 s for the CSV of 5,000 employees: about 1 ms each, so 1,000 stay
# near 1 s (bench/exports.py).
IMMEDIATE_BELOW = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def employee_count(company: Any, user: Any, parameters: dict[str, Any]) -> int:
    return int(Employee.objects.filter(company=company, active=True).count())


def matrix_file(context: ExportContext) -> Output:
    from training.export import as_xlsx, matrix_table
    from training.views import filtered_matrix

    progress = context.progress
    progress.set_total(employee_count(context.company, context.user, context.parameters))
    matrix, _filters = filtered_matrix(
        replay_request(context.user, context.parameters), context.company
    )
    stamp = timezone.localdate().isoformat()
    name = f"training-matrix-{context.company.pk}-{stamp}"
    if context.parameters.get("format") in (["xlsx"], "xlsx"):
        body = as_xlsx(matrix)
        progress.set_total(len(matrix.rows))
        progress.advance(len(matrix.rows))
        return Output(f"{name}.xlsx", XLSX, body)
    progress.set_total(len(matrix.rows))
    # The matrix is in memory already: the whole file as bytes (the BOM lets Excel read
    # the accents right).
    text = "\ufeff" + "".join(csv_text(matrix_table(matrix), progress))
    return Output(f"{name}.csv", "text/csv; charset=utf-8", text.encode("utf-8"))


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from core import export_jobs

    export_jobs.register(
        "training.matrix",
        _("Training matrix"),
        build="training.exporting.matrix_file",
        count="training.exporting.employee_count",
        immediate_below=IMMEDIATE_BELOW,
    )
