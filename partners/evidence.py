"""Screening evidence (MSC 3.1 vetting): what was screened, when, against which list
versions (with their SHA-256), what was found and who decided what, as the partner's
PDF and CSV and as one company-wide CSV of every partner's latest screening."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from core.exports import safe_writer
from partners.models import BusinessPartner, PartnerScreening
from screening.models import ListVersion

CHUNK = 2000


class _Echo:
    def write(self, value: str) -> str:
        return value


def fill_list_hashes(screenings: Sequence[PartnerScreening]) -> None:
    """Give every stored list version its SHA-256 (screenings saved before the digest
    was kept with them are completed from the version record)."""
    missing = {
        v["id"]
        for s in screenings
        for v in s.list_versions
        if v.get("id") is not None and not v.get("sha256")
    }
    if not missing:
        return
    digests = dict(ListVersion.objects.filter(pk__in=missing).values_list("pk", "sha256"))
    for s in screenings:
        for v in s.list_versions:
            if not v.get("sha256"):
                v["sha256"] = digests.get(v.get("id"), "")


def lists_text(screening: PartnerScreening) -> str:
    return "; ".join(
        f"{v.get('source', '')} {v.get('list_date', '')} sha256:{v.get('sha256') or '-'}"
        for v in screening.list_versions
    )


def _user(user: Any) -> str:
    return str(user.email) if user is not None else ""


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def decision_columns(s: PartnerScreening) -> list[str]:
    return [
        s.get_status_display(),
        _user(s.first_reviewer),
        s.get_first_verdict_display() if s.first_verdict else "",
        s.first_reason,
        _when(s.first_reviewed_at),
        _user(s.decided_by),
        _when(s.decided_at),
        s.decision_reason,
    ]


DECISION_HEADER = [
    "result",
    "first_reviewer",
    "first_verdict",
    "first_reason",
    "first_reviewed_at",
    "reviewer",
    "decided_at",
    "reason",
]
PARTNER_HEADER = [
    "screened_at",
    "screened_because",
    "list_versions",
    "threshold",
    *DECISION_HEADER,
    "hit_list",
    "hit_entry",
    "hit_name",
    "hit_score",
    "hit_alert",
    "false_positive_already_decided",
    "explanation",
]


def partner_screenings(partner: BusinessPartner) -> list[PartnerScreening]:
    screenings = list(partner.screenings.select_related("decided_by", "first_reviewer"))
    fill_list_hashes(screenings)
    return screenings


def partner_rows(screenings: Iterable[PartnerScreening]) -> Iterator[list[Any]]:
    """One row per hit of each screening (one row without hit columns when clear)."""
    yield PARTNER_HEADER
    for s in screenings:
        head = [
            _when(s.screened_at),
            s.get_trigger_display(),
            lists_text(s),
            s.threshold,
            *decision_columns(s),
        ]
        for hit in s.hits or [{}]:
            explanation = hit.get("explanation") or {}
            yield [
                *head,
                hit.get("list", ""),
                hit.get("entity_id", ""),
                hit.get("name", ""),
                hit.get("score", ""),
                "yes" if hit.get("alert") else ("no" if hit else ""),
                "yes" if hit.get("remembered") else ("no" if hit else ""),
                explanation.get("summary", ""),
            ]


COMPANY_HEADER = [
    "partner",
    "country",
    "role",
    "tier",
    "screened_at",
    "screened_because",
    "list_versions",
    *DECISION_HEADER,
    "best_hit_list",
    "best_hit_entry",
    "best_hit_name",
    "best_hit_score",
]


def company_rows(partners: QuerySet[BusinessPartner]) -> Iterator[list[Any]]:
    """One row per partner with its latest screening (empty when never screened)."""
    latest = PartnerScreening.objects.filter(partner=OuterRef("pk")).order_by("-screened_at", "-pk")
    annotated = partners.annotate(latest_screening=Subquery(latest.values("pk")[:1])).order_by(
        "name", "pk"
    )
    yield COMPANY_HEADER
    chunk: list[BusinessPartner] = []
    for partner in annotated.iterator(chunk_size=CHUNK):
        chunk.append(partner)
        if len(chunk) >= CHUNK:
            yield from _company_chunk(chunk)
            chunk = []
    yield from _company_chunk(chunk)


def _company_chunk(partners: list[BusinessPartner]) -> Iterator[list[Any]]:
    ids = [p.latest_screening for p in partners if p.latest_screening]  # type: ignore[attr-defined]
    screenings = {
        s.pk: s
        for s in PartnerScreening.objects.filter(pk__in=ids).select_related(
            "decided_by", "first_reviewer"
        )
    }
    fill_list_hashes(list(screenings.values()))
    for p in partners:
        s = screenings.get(p.latest_screening)  # type: ignore[attr-defined]
        row = [p.name, p.country.code, p.get_role_display(), p.get_tier_display()]
        if s is None:
            yield [*row, *[""] * (len(COMPANY_HEADER) - len(row))]
            continue
        best: dict[str, Any] = max(s.hits, key=lambda h: h.get("score", 0), default={})
        yield [
            *row,
            _when(s.screened_at),
            s.get_trigger_display(),
            lists_text(s),
            *decision_columns(s),
            best.get("list", ""),
            best.get("entity_id", ""),
            best.get("name", ""),
            best.get("score", ""),
        ]


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = safe_writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
