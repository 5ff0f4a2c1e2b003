"""Re-screening every company's partners when a new version of a list becomes active.

Only what changed is screened: the entities the new version added or changed (from
`screening_engine.diff_versions` between the previous and the new version) form a small
index that borrows the word weights of the whole active index, so a partner scores
against a changed entity as it would in a full screening. Then:

- a partner that now reaches the alert threshold on an added or changed entity gets a
  new screening in the alert queue (trigger "new list version");
- a remembered false positive on a changed entity reopens when the entity's fingerprint
  differs from the one the reviewer saw, so the partner alerts on it again;
- an open alert whose alerting entries were all removed from the list is closed with a
  system reason.

It is a system job over all companies (no user, no tenant filter); every change goes
through `save()` so the audit trail records it. The first task (`rescreen_for_version`)
does the list-wide part (the diff, reopened false positives, closed alerts) and enqueues
one `rescreen_company` task per company with partners, so several workers share the
screening and no task holds more than one company's partners.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from partners.models import (
    OPEN_STATUSES,
    BusinessPartner,
    FalsePositive,
    PartnerScreening,
    ScreeningStatus,
    ScreeningTrigger,
    note_latest_screenings,
)
from partners.notices import alerts_raised
from partners.workflow import TOP_HITS, remembered_false_positives, shape_hits, versions_json
from screening.index import active_index
from screening.models import ListVersion
from screening_engine import (
    DEFAULT_THRESHOLD,
    Entity,
    LoadedList,
    Query,
    ScreeningIndex,
    diff_versions,
    screen_batch,
)
from screening_engine import ListVersion as EngineVersion

CHUNK = 5000


def _loaded(version: ListVersion) -> LoadedList:
    engine_version = EngineVersion(
        source=version.source,  # type: ignore[arg-type]
        list_date=version.list_date,
        sha256=version.sha256,
        counts=version.counts,
        files=tuple(version.files),
        file_hashes=version.file_hashes,
        format=version.file_format,
    )
    return LoadedList(version=engine_version, entities=tuple(version.entities()))


def _partner_chunks(company_pk: int | None = None) -> Iterator[list[BusinessPartner]]:
    chunk: list[BusinessPartner] = []
    partners = BusinessPartner.objects.only("pk", "name", "country", "company_id")
    if company_pk is not None:
        partners = partners.filter(company_id=company_pk)
    for partner in partners.order_by("pk"):
        chunk.append(partner)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rescreen_for_version(version_pk: int, previous_pk: int) -> dict[str, Any]:
    """Screen all partners against what `version` changed since `previous`."""
    version = ListVersion.objects.get(pk=version_pk)
    previous = ListVersion.objects.get(pk=previous_pk)
    new, old = _loaded(version), _loaded(previous)
    diff = diff_versions(old, new)
    by_uid = {e.uid: e for e in new.entities}
    touched = [by_uid[uid] for uid in diff.touched]
    old_by_uid = {e.uid: e for e in old.entities}
    still_listed = {e.entity_id for e in new.entities}
    removed = {
        old_by_uid[uid].entity_id
        for uid in diff.removed
        if old_by_uid[uid].entity_id not in still_listed
    }
    changed = [by_uid[uid] for uid in diff.changed]
    reason_date = f"{version.get_source_display()} {version.list_date:%Y-%m-%d}"
    task_ids: list[str] = []
    result: dict[str, Any] = {
        "list": version.source,
        "added": len(diff.added),
        "changed": len(diff.changed),
        "removed": len(diff.removed),
        "entities_screened": len(touched),
        "companies": 0,
        "tasks": task_ids,
        "reopened": reopen_false_positives(changed, reason_date),
        "closed": close_alerts_on_removed(version.source, removed, reason_date),
    }
    if touched:
        from partners.tasks import rescreen_company

        uids = sorted(e.uid for e in touched)
        companies = (
            BusinessPartner.objects.order_by("company_id")
            .values_list("company_id", flat=True)
            .distinct()
        )
        for company_pk in companies:
            queued = rescreen_company.enqueue(version.source, uids, company_pk)
            result["companies"] += 1
            task_ids.append(queued.id)
    return result


def rescreen_company_partners(source: str, uids: Sequence[str], company_pk: int) -> dict[str, Any]:
    """One company's share of a re-screening: its partners against the entities of list
    `source` with these uids, taken from the active index (the new version is active)."""
    full, _versions = active_index()
    wanted = set(uids)
    touched = [e for e in full.entities if e.list_id == source and e.uid in wanted]
    if not touched:  # a newer version replaced this one meanwhile; its own run covers it
        return {"company": company_pk, "partners": 0, "alerts": 0}
    partners, alerts = screen_against(touched, company_pk=company_pk)
    return {"company": company_pk, "partners": partners, "alerts": alerts}


def reopen_false_positives(changed: Sequence[Entity], where: str) -> int:
    """Reopen remembered false positives whose list entry now reads differently."""
    if not changed:
        return 0
    fingerprints: dict[tuple[str, str], str] = {
        (e.list_id, e.entity_id): e.fingerprint() for e in changed
    }
    reopened = 0
    candidates = FalsePositive.objects.filter(
        list_id__in={e.list_id for e in changed},
        entity_id__in={e.entity_id for e in changed},
        reopened_at__isnull=True,
    ).select_related("partner")
    with transaction.atomic():
        for fp in candidates:
            new_print = fingerprints.get((fp.list_id, fp.entity_id))
            if new_print is None or new_print == fp.entity_fingerprint:
                continue
            fp.reopened_at = timezone.now()
            fp.reopen_reason = f"List entry changed in {where}"[:300]
            fp.save()
            reopened += 1
    return reopened


def close_alerts_on_removed(source: str, removed: set[str], where: str) -> int:
    """Close open alerts that point only at entries no longer on the list."""
    if not removed:
        return 0
    closed = 0
    now = timezone.now()
    with transaction.atomic():
        for screening in PartnerScreening.objects.filter(status__in=OPEN_STATUSES).select_related(
            "partner"
        ):
            alerting = screening.alerting_hits()
            if alerting and all(
                h["list"] == source and h["entity_id"] in removed for h in alerting
            ):
                screening.status = ScreeningStatus.CLOSED
                screening.decided_at = now
                screening.decided_by = None
                screening.decision_reason = (
                    f"Closed by the system: the list entry was removed in {where}."
                )
                screening.save()
                note_latest_screenings([screening.partner_id])
                closed += 1
    return closed


def screen_against(entities: Sequence[Entity], *, company_pk: int | None = None) -> tuple[int, int]:
    """Screen every partner (of one company, if given) against `entities` only; new
    alerts go to the queue. Returns (partners screened, alerts created)."""
    full, versions = active_index()
    index = ScreeningIndex(entities, weights_from=full)
    listed = versions_json(versions)
    screened = alerts = 0
    for chunk in _partner_chunks(company_pk):
        queries = [Query(name=p.name, country=p.country.code) for p in chunk]
        raw = screen_batch(index, queries, top=TOP_HITS, min_score=DEFAULT_THRESHOLD)
        screened += len(chunk)
        hit_partners = [(p, q) for p, q, rows in zip(chunk, queries, raw, strict=True) if rows]
        if not hit_partners:
            continue
        remembered = remembered_false_positives([p.pk for p, _q in hit_partners])
        new = []
        for partner, query in hit_partners:
            hits = index.search(query.name, country=query.country, top=TOP_HITS)
            hits = [h for h in hits if h.score >= DEFAULT_THRESHOLD]
            shaped = shape_hits(partner.pk, hits, remembered)
            if not any(h["alert"] and not h["remembered"] for h in shaped):
                continue
            new.append(
                PartnerScreening(
                    partner=partner,
                    list_versions=listed,
                    threshold=DEFAULT_THRESHOLD,
                    hits=shaped,
                    status=ScreeningStatus.ALERT,
                    trigger=ScreeningTrigger.LIST_UPDATE,
                )
            )
        with transaction.atomic():
            for screening in new:
                screening.save()  # one by one: each new alert is in the audit trail
            note_latest_screenings(s.partner_id for s in new)
            alerts_raised(new)
        alerts += len(new)
    return screened, alerts
