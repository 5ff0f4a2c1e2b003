"""Small catalogues for tests, written through the real importer."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

from django.conf import settings

from catalogue import importers
from catalogue.models import Catalogue

SHIPPED = Path(settings.SHARED_DATA_DIR) / "msc" / "criteria.csv"
URL = "https://www.cbp.gov/document/guidance/ctpat-minimum-security-criteria"


def row(**values: str) -> dict[str, str]:
    """One valid criteria row; keyword arguments replace columns."""
    ref_id = values.get("id", "3.1")
    base = {
        "id": ref_id,
        "focus_area": "Corporate Security",
        "category_number": ref_id.split(".")[0],
        "category_name": "Business Partners",
        "requirement": "Must",
        "entity_types": "importer;highway_carrier",
        "summary": "Screen business partners before doing business with them.",
        "source": URL,
        "requirement_overrides": "",
        "verified_for": "importer",
        "evidence": "test-evidence",
        "msc_documents": URL,
        "notes": "",
    }
    base.update(values)
    return base


def csv_bytes(rows: list[dict[str, str]], columns: tuple[str, ...] | None = None) -> bytes:
    if columns is None:
        columns = tuple(rows[0]) if rows else importers.COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def metadata(**fields: Any) -> importers.Metadata:
    values: dict[str, Any] = {
        "slug": "test-msc",
        "version": "1",
        "name": "Test criteria",
        "publisher": "Test",
        "effective_date": datetime.date(2020, 1, 1),
    }
    values.update(fields)
    return importers.Metadata(**values)


def make_catalogue(rows: list[dict[str, str]] | None = None, **meta: Any) -> Catalogue:
    rows = rows or [
        row(id="3.1"),
        row(id="3.8", requirement="Should", entity_types="highway_carrier", verified_for=""),
        row(
            id="12.8",
            category_name="Education, Training and Awareness",
            focus_area="People and Physical Security",
            entity_types="importer;customs_broker",
            requirement_overrides="customs_broker:Should",
        ),
    ]
    result = importers.import_catalogue(csv_bytes(rows), "test.csv", metadata(**meta))
    return result.catalogue


def shipped_rows() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
