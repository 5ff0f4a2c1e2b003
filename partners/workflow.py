"""Screening partners against the watchlists and deciding on alerts.

The engine (`screening_engine`, through the screening app's cached index of the active
list versions) scores each partner's name; a hit at or above the engine's calibrated
`DEFAULT_THRESHOLD` is an alert unless a reviewer already marked that list entity as a
false positive for this partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import (
    BusinessPartner,
    FalsePositive,
    PartnerImport,
    PartnerScreening,
    ScreeningStatus,
    ScreeningTrigger,
    four_eyes_required,
)
from screening.index import active_index
from screening.search import hit_to_dict
from screening_engine import DEFAULT_THRESHOLD, Hit, Query, screen_batch

TOP_HITS = 3


class ReviewError(ValueError):
    """A decision that the review rules do not allow (the message says why)."""


def versions_json(versions: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": v.pk,
            "source": v.source,
            "list_date": v.list_date.isoformat(),
            "sha256": v.sha256,
        }
        for v in versions
    ]


def remembered_false_positives(partner_ids: Sequence[int]) -> set[tuple[int, str, str]]:
    """(partner, list, entity) of the false positives that still hold (not reopened)."""
    return set(
        FalsePositive.objects.filter(partner__in=partner_ids, reopened_at__isnull=True).values_list(
            "partner_id", "list_id", "entity_id"
        )
    )


def shape_hits(
    partner_id: int, hits: Sequence[Hit], remembered: set[tuple[int, str, str]]
) -> list[dict[str, Any]]:
    """Hits as stored on a screening. Below the threshold the score and the entry are
    evidence enough; the full entry, explanation and the entry's fingerprint are kept
    where a reviewer has to decide."""
    shaped = []
    for hit in hits:
        if hit.score >= DEFAULT_THRESHOLD:
            data = hit_to_dict(hit, DEFAULT_THRESHOLD)
            data["fingerprint"] = hit.entity.fingerprint()
        else:
            data = {
                "score": hit.score,
                "alert": False,
                "list": hit.entity.list_id,
                "entity_id": hit.entity.entity_id,
                "name": hit.entity.name,
            }
        data["remembered"] = (partner_id, data["list"], data["entity_id"]) in remembered
        shaped.append(data)
    return shaped


def screen_partners(
    partners: Sequence[BusinessPartner], trigger: str = ScreeningTrigger.PARTNER_SAVED
) -> list[PartnerScreening]:
    """Screen partners (one or a whole import) and store one result each."""
    if not partners:
        return []
    index, versions = active_index()
    listed = versions_json(versions) or [{"id": None, "source": "files", "list_date": ""}]
    queries = [Query(name=p.name, country=p.country.code) for p in partners]
    raw = screen_batch(index, queries, top=TOP_HITS, min_score=0.0)
    remembered = remembered_false_positives([p.pk for p in partners])
    results = []
    for partner, query, rows in zip(partners, queries, raw, strict=True):
        hits = index.hits(rows)
        alerting = [i for i, h in enumerate(hits) if h.score >= DEFAULT_THRESHOLD]
        if alerting:  # explanations only where a reviewer will read them
            explained = index.search(query.name, country=query.country, top=TOP_HITS)
            hits = explained or hits
        shaped = shape_hits(partner.pk, hits, remembered)
        alert = any(h["alert"] and not h["remembered"] for h in shaped)
        results.append(
            PartnerScreening(
                partner=partner,
                list_versions=listed,
                threshold=DEFAULT_THRESHOLD,
                hits=shaped,
                status=ScreeningStatus.ALERT if alert else ScreeningStatus.CLEAR,
                trigger=trigger,
            )
        )
    return PartnerScreening.objects.bulk_create(results, batch_size=2000)


IMPORT_CHUNK = 2000


def screen_import(batch_pk: int) -> dict[str, int]:
    """Screen the partners of a large import in chunks, counting progress on the batch
    (the import page polls it). Partners screened by an earlier, interrupted run are
    skipped, so the task may safely run again."""
    batch = PartnerImport.objects.get(pk=batch_pk)
    ids = list(batch.pending_partner_ids)
    for start in range(0, len(ids), IMPORT_CHUNK):
        chunk = ids[start : start + IMPORT_CHUNK]
        partners = list(
            BusinessPartner.objects.filter(pk__in=chunk, screenings__isnull=True).order_by("pk")
        )
        with transaction.atomic():
            screenings = screen_partners(partners, trigger=ScreeningTrigger.IMPORT)
            alerts = sum(1 for s in screenings if s.status == ScreeningStatus.ALERT)
            PartnerImport.objects.filter(pk=batch_pk).update(
                screened_count=min(start + len(chunk), batch.screening_total),
                alert_count=models.F("alert_count") + alerts,
            )
    PartnerImport.objects.filter(pk=batch_pk).update(
        screened_count=batch.screening_total,
        pending_partner_ids=[],
        screening_finished_at=timezone.now(),
    )
    batch.refresh_from_db()
    return {"screened": batch.screened_count, "alerts": batch.alert_count}


def decide(screening: PartnerScreening, user: User, verdict: str, reason: str) -> str:
    """Record a reviewer's verdict on an open alert; returns the resulting status.

    Where the company asks for four eyes, the first verdict puts the alert in second
    review; a different user then confirms or overturns it and only that verdict is
    final. A final false positive is remembered for each alerting list entity of this
    partner, with the entity's fingerprint so that a changed entry reopens it.
    """
    with transaction.atomic():
        screening = PartnerScreening.objects.select_for_update().get(pk=screening.pk)
        now = timezone.now()
        if screening.status == ScreeningStatus.ALERT and four_eyes_required(
            screening.partner.company_id
        ):
            screening.first_verdict = verdict
            screening.first_reviewer = user
            screening.first_reviewed_at = now
            screening.first_reason = reason
            screening.status = ScreeningStatus.SECOND_REVIEW
            screening.save()
            return screening.status
        if screening.status == ScreeningStatus.SECOND_REVIEW:
            if screening.first_reviewer_id == user.pk:
                raise ReviewError(
                    _("A second reviewer must decide: you made the first decision on this alert.")
                )
        elif screening.status != ScreeningStatus.ALERT:
            raise ReviewError(_("This alert was already decided."))
        screening.status = verdict
        screening.decided_by = user
        screening.decided_at = now
        screening.decision_reason = reason
        screening.save()
        if verdict == ScreeningStatus.FALSE_POSITIVE:
            for hit in screening.alerting_hits():
                FalsePositive.objects.update_or_create(
                    partner=screening.partner,
                    list_id=hit["list"],
                    entity_id=hit["entity_id"],
                    defaults={
                        "reason": reason,
                        "decided_by": user,
                        "entity_fingerprint": hit.get("fingerprint", ""),
                        "reopened_at": None,
                        "reopen_reason": "",
                    },
                )
        return screening.status
