"""What the printable inspection sheet shows (page download and e-mail alike)."""

from __future__ import annotations

import base64
from typing import Any

from inspections.models import Inspection


def _data_url(field: Any) -> str:
    """A stored signature as a data: URL, so the PDF renderer needs no file access."""
    if not field:
        return ""
    with field.open("rb") as handle:
        return "data:image/png;base64," + base64.b64encode(handle.read()).decode()


def sheet_context(inspection: Inspection) -> dict[str, Any]:
    return {
        "inspection": inspection,
        "results": inspection.results.all(),
        "inspector_signature": _data_url(inspection.inspector_signature),
        "supervisor_signature": _data_url(inspection.supervisor_signature),
    }


def sheet_filename(inspection: Inspection) -> str:
    return f"inspection-{inspection.iit_number}-{inspection.performed_at:%Y%m%d}.pdf"
