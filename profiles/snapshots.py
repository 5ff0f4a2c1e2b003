"""The frozen copy of a security profile kept with each submission, and the difference
between two such copies.

A snapshot is plain JSON so it survives later changes to the catalogue, the company or the
people: it names criteria by ID, owners by e-mail and evidence by file name, version and
SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from profiles.choices import ResponseStatus

if TYPE_CHECKING:
    from profiles.models import EvidenceFile, Row, SecurityProfile
    from profiles.readiness import Readiness

SNAPSHOT_FORMAT = 1


def build_snapshot(
    profile: SecurityProfile,
    rows: list[Row],
    readiness: Readiness,
    latest_files: dict[int, EvidenceFile],
) -> dict[str, Any]:
    """The profile as submitted. `latest_files` maps evidence id → its newest file."""
    catalogue = profile.catalogue
    company = profile.company
    criteria = []
    for row in rows:
        response = row.response
        criteria.append(
            {
                "ref_id": row.criterion.ref_id,
                "category_number": row.criterion.category_number,
                "category_name": row.criterion.category_name,
                "focus_area": row.criterion.focus_area,
                "requirement": row.requirement,
                "summary": row.criterion.summary,
                "status": response.status,
                "narrative": response.narrative,
                "na_reason": response.na_reason,
                "owner": response.owner.email if response.owner else "",
                "due_date": response.due_date.isoformat() if response.due_date else "",
                "evidence": [
                    _evidence_entry(item, latest_files.get(item.pk)) for item in row.evidence
                ],
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "catalogue": {
            "slug": catalogue.slug,
            "version": catalogue.version,
            "name": catalogue.name,
        },
        "company": {
            "legal_name": company.legal_name,
            "account_number": company.account_number,
            "business_type": company.business_type,
        },
        "readiness": readiness.as_dict(),
        "criteria": criteria,
    }


def _evidence_entry(item: Any, latest: EvidenceFile | None) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "expires_on": item.expires_on.isoformat() if item.expires_on else "",
        "file": latest.original_name if latest else "",
        "version": latest.version if latest else 0,
        "sha256": latest.sha256 if latest else "",
        "file_id": latest.pk if latest else None,
    }


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class CriterionChange:
    ref_id: str
    summary: str
    kind: str  # "added", "removed" or "changed"
    changes: tuple[FieldChange, ...] = ()


def status_label(value: str) -> str:
    return str(ResponseStatus(value).label) if value in ResponseStatus.values else value


def _evidence_text(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return ""
    return "; ".join(
        f"{e['title']} — {e['file']} v{e['version']} ({e['sha256'][:12]})" for e in entries
    )


def _fields() -> list[tuple[str, str, Any]]:
    return [
        ("status", _("Status"), status_label),
        ("narrative", _("How we meet it"), str),
        ("na_reason", _("Why it does not apply"), str),
        ("owner", _("Owner"), str),
        ("due_date", _("Due date"), str),
        ("requirement", _("Must / Should"), str),
        ("evidence", _("Evidence"), _evidence_text),
    ]


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[CriterionChange]:
    """What changed from `old` to `new`, criterion by criterion, in catalogue order."""
    before = {c["ref_id"]: c for c in old.get("criteria", [])}
    after = {c["ref_id"]: c for c in new.get("criteria", [])}
    fields = _fields()
    result: list[CriterionChange] = []
    order = list(after) + [ref for ref in before if ref not in after]
    for ref in order:
        a, b = before.get(ref), after.get(ref)
        if a is None and b is not None:
            result.append(CriterionChange(ref, b["summary"], "added"))
        elif b is None and a is not None:
            result.append(CriterionChange(ref, a["summary"], "removed"))
        elif a is not None and b is not None:
            changes = tuple(
                FieldChange(label, show(a.get(key, "")), show(b.get(key, "")))
                for key, label, show in fields
                if show(a.get(key, "")) != show(b.get(key, ""))
            )
            if changes:
                result.append(CriterionChange(ref, b["summary"], "changed", changes))
    return result
