"""Screening partners against the watchlists and deciding on alerts.

The engine (`screening_engine`, through the screening app's cached index of the active
list versions) scores each partner's name; a hit at or above the engine's calibrated
`DEFAULT_THRESHOLD` is an alert unless a reviewer already marked that list entity as a
false positive for this partner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.refusals import Invalid, NotAllowed
from core.tasks import mark_task_result_lost
from partners import importing
from partners.models import (
    BusinessPartner,
    FalsePositive,
    PartnerImport,
    PartnerScreening,
    ScreeningStatus,
    ScreeningTrigger,
    four_eyes_required,
    note_latest_screenings,
)
from partners.notices import alerts_raised
from screening.index import active_index
from screening.search import hit_to_dict
from screening_engine import DEFAULT_THRESHOLD, Hit, Query, screen_batch

TOP_HITS = 3


class ReviewError(NotAllowed):
    """A decision that the review rules do not allow (the message says why)."""

    code = "review_refused"


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


def build_screenings(
    partners: Sequence[BusinessPartner], trigger: str = ScreeningTrigger.PARTNER_SAVED
) -> list[PartnerScreening]:
    """Screen partners and return one unsaved result each (nothing is written)."""
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
    return results


def screen_partners(
    partners: Sequence[BusinessPartner], trigger: str = ScreeningTrigger.PARTNER_SAVED
) -> list[PartnerScreening]:
    """Screen partners (one or a whole import) and store one result each."""
    screenings = PartnerScreening.objects.bulk_create(
        build_screenings(partners, trigger), batch_size=2000
    )
    note_latest_screenings(s.partner_id for s in screenings)
    alerts_raised(screenings)
    return screenings


# A partner is screened again when what the lists are matched on changes.
SCREENED_FIELDS = frozenset({"name", "country"})


def save_partner(partner: BusinessPartner) -> BusinessPartner:
    """Save a new or edited partner (validated by its form or serializer) and screen it
    when `partner_saved` says so; the page and the API both save partners here.

    The stored row is locked while its screened fields are compared, so two edits at once
    are compared one after the other."""
    fields = sorted(SCREENED_FIELDS)
    with transaction.atomic():
        created = partner.pk is None
        changed: list[str] = []
        if not created:
            stored = BusinessPartner.objects.select_for_update().values(*fields).get(pk=partner.pk)
            changed = [f for f in fields if str(getattr(partner, f)) != str(stored[f])]
        partner.save()
        partner_saved(partner, created=created, changed=changed)
    return partner


def partner_saved(partner: BusinessPartner, *, created: bool, changed: Iterable[str] = ()) -> None:
    """What follows saving a partner, from the page or the API alike: a new partner is
    screened, and so is one whose name or country changed (a new name is a new screening).
    Call it inside the transaction that saved the partner."""
    if created or SCREENED_FIELDS & set(changed):
        screen_partners([partner])


# Automatic resumes by `ctpat recover_tasks` before a stopped screening waits for a person:
# a file that kills its worker every time must not be retried forever.
AUTO_RESUMES = 3


class ScreeningNotStopped(NotAllowed):
    """A restart of an import screening that is running or finished (the message says)."""

    code = "screening_not_stopped"


class RunSuperseded(Exception):
    """This run lost its lease (marked stopped, or another run was started)."""


def _holding_lease(batch_pk: int, run: str) -> models.QuerySet[PartnerImport]:
    return PartnerImport.objects.filter(
        pk=batch_pk, screening_run=run, screening_stopped_at__isnull=True
    )


def screen_import(batch_pk: int, run: str = "") -> dict[str, Any]:
    """Screen the partners of a large import in chunks, counting progress on the batch
    (the import page polls it).

    Guarantees: only the run holding the batch's lease (`run`) writes; each chunk's
    screenings, counts and heartbeat are written in one transaction under the batch's row
    lock, and only for partners still without a screening, so a resumed or duplicated run
    never screens a partner twice. A run that lost its lease stops at its next chunk.

    On a queue shared by several machines (RQ) an import of more than
    PARTNER_SCREENING_TASK_ROWS partners is split: this run enqueues one
    `screen_import_part` task per slice of that many partners, under the same lease, so
    the workers share it; the batch counts its parts left and the last one finishes it.
    """
    if not _holding_lease(batch_pk, run).update(screening_heartbeat_at=timezone.now()):
        return {"screened": 0, "alerts": 0}  # superseded before it started
    batch = PartnerImport.objects.get(pk=batch_pk)
    ids = list(batch.pending_partner_ids)
    step = max(1, settings.PARTNER_SCREENING_TASK_ROWS)
    if len(ids) > step and _queue_outside_database():
        from partners.tasks import screen_import_part

        slices = [ids[start : start + step] for start in range(0, len(ids), step)]
        if not _holding_lease(batch_pk, run).update(screening_parts_left=len(slices)):
            return {"screened": 0, "alerts": 0}
        parts = [str(screen_import_part.enqueue(batch_pk, run, s).id) for s in slices]
        return {"screened": 0, "alerts": 0, "tasks": parts}
    if _screen_ids(batch_pk, run, ids):
        _holding_lease(batch_pk, run).update(
            screened_count=batch.screening_total,
            pending_partner_ids=[],
            screening_finished_at=timezone.now(),
            screening_heartbeat_at=timezone.now(),
        )
    batch.refresh_from_db()
    return {"screened": batch.screened_count, "alerts": batch.alert_count}


def screen_import_part(batch_pk: int, run: str, ids: list[int]) -> dict[str, Any]:
    """One slice of a split import screening (see `screen_import`); the last part of the
    run to finish marks the batch finished. A part that lost the lease counts for nothing:
    its run is stopped, and a restart screens whatever it left."""
    if _screen_ids(batch_pk, run, ids):
        with transaction.atomic():
            held = _holding_lease(batch_pk, run).select_for_update()
            left = held.values_list("screening_parts_left", "screening_total").first()
            if left is not None and left[0] <= 1:
                held.update(
                    screening_parts_left=0,
                    screened_count=left[1],
                    pending_partner_ids=[],
                    screening_finished_at=timezone.now(),
                    screening_heartbeat_at=timezone.now(),
                )
            elif left is not None:
                held.update(screening_parts_left=left[0] - 1)
    return {"batch": batch_pk, "partners": len(ids)}


def _screen_ids(batch_pk: int, run: str, ids: Sequence[int]) -> bool:
    """Screen the partners `ids` that have no screening yet, chunk by chunk; False if the
    run lost its lease on the way."""
    chunk_size = max(1, settings.PARTNER_SCREENING_CHUNK)
    try:
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start : start + chunk_size]
            partners = list(
                BusinessPartner.objects.filter(pk__in=chunk, screenings__isnull=True).order_by("pk")
            )
            screenings = build_screenings(partners, trigger=ScreeningTrigger.IMPORT)
            _save_chunk(batch_pk, run, screenings)
    except RunSuperseded:
        return False
    except Exception:
        # The task fails with its traceback; the page says it stopped and offers a restart.
        _holding_lease(batch_pk, run).update(screening_stopped_at=timezone.now())
        raise
    return True


def _queue_outside_database() -> bool:
    """Whether import tasks go to a queue outside the database (RQ), one that several
    machines' workers share."""
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks_db import DatabaseBackend

    from partners.tasks import screen_import as task

    return not isinstance(task.get_backend(), DatabaseBackend | ImmediateBackend)


def _save_chunk(batch_pk: int, run: str, screenings: list[PartnerScreening]) -> None:
    with transaction.atomic():
        # The row lock orders this write after any stop or restart of the same batch.
        if not _holding_lease(batch_pk, run).select_for_update().exists():
            raise RunSuperseded
        still_open = set(
            BusinessPartner.objects.filter(
                pk__in=[s.partner_id for s in screenings], screenings__isnull=True
            ).values_list("pk", flat=True)
        )
        fresh = [s for s in screenings if s.partner_id in still_open]
        PartnerScreening.objects.bulk_create(fresh, batch_size=2000)
        note_latest_screenings(s.partner_id for s in fresh)
        alerts_raised(fresh)
        PartnerImport.objects.filter(pk=batch_pk).update(
            screened_count=models.F("screened_count") + len(fresh),
            alert_count=models.F("alert_count")
            + sum(1 for s in fresh if s.status == ScreeningStatus.ALERT),
            screening_heartbeat_at=timezone.now(),
        )


def confirm_import(batch: PartnerImport) -> tuple[PartnerImport, int, bool]:
    """Write the checked rows of `batch` and mark it done: the new partners, and their
    screening (or, for a file larger than `PARTNER_IMPORT_BACKGROUND_ROWS`, a background run
    whose progress the import page shows). Answers (batch, partners created, background).

    The batch row is locked, so a second click waits and is then refused as already
    imported. Refuses with nothing written when a partner of the file was added meanwhile."""
    with transaction.atomic():
        batch = PartnerImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != PartnerImport.Status.PREVIEW:
            raise NotAllowed(
                _("This file was already imported or has errors."), code="already_imported"
            )
        background = len(batch.rows) > settings.PARTNER_IMPORT_BACKGROUND_ROWS
        try:
            with transaction.atomic():
                created = importing.write_rows(batch.company, batch.rows)
                alerts = 0
                if not background:
                    screenings = screen_partners(created, trigger=ScreeningTrigger.IMPORT)
                    alerts = sum(1 for x in screenings if x.status == ScreeningStatus.ALERT)
        except IntegrityError as exc:
            raise NotAllowed(
                _(
                    "Some partners were added meanwhile; nothing was imported. "
                    "Upload the file again."
                )
            ) from exc
        batch.status = PartnerImport.Status.DONE
        batch.created_count = len(created)
        batch.rows = []
        if background:
            batch.screening_total = len(created)
            batch.pending_partner_ids = [p.pk for p in created]
        else:
            batch.screening_finished_at = timezone.now()
            batch.alert_count = alerts
        batch.save()
        if background:
            # In the same transaction: with the database queue the task exists exactly
            # when the imported partners do.
            start_import_screening(batch)
    return batch, len(created), background


def start_import_screening(batch: PartnerImport) -> None:
    """Give the batch a new lease and enqueue a run that screens what is left.

    Call inside the transaction that holds the batch's row lock: with the database queue
    the task then exists exactly when the state that asks for it does.
    """
    from partners.tasks import screen_import as task

    run = get_random_string(32)
    PartnerImport.objects.filter(pk=batch.pk).update(
        screening_run=run, screening_stopped_at=None, screening_heartbeat_at=None
    )

    def enqueue() -> None:
        result = task.enqueue(batch.pk, run)
        # Only the id: an immediate backend has already run the task and its progress.
        PartnerImport.objects.filter(pk=batch.pk, screening_run=run).update(
            screening_task_id=str(result.id)[:64]
        )

    if not _queue_outside_database():
        enqueue()  # the task row commits with the lease (or the run is already done)
    else:
        # A queue outside the database (RQ) could start the run before this commits,
        # when the run would not yet see its lease.
        transaction.on_commit(enqueue)


def mark_screening_stopped(batch: PartnerImport, now: datetime | None = None) -> bool:
    """If the batch's run outlived its lease, mark it stopped and its task failed.

    Returns whether it was marked now. Clearing the run token refuses any late chunk of
    the lost run, so a worker that was only frozen cannot write after a restart.
    """
    if not batch.screening_lease_expired(now):
        return False  # the common case, every poll of the progress bar: no lock taken
    with transaction.atomic():
        locked = PartnerImport.objects.select_for_update().get(pk=batch.pk)
        if not locked.screening_lease_expired(now):
            return False
        PartnerImport.objects.filter(pk=batch.pk).update(
            screening_stopped_at=timezone.now(), screening_run=""
        )
        mark_task_result_lost(
            locked.screening_task_id,
            f"no progress on partner import {batch.pk} within {settings.TASK_LEASE_SECONDS} s",
        )
    batch.refresh_from_db()
    return True


def restart_screening(batch: PartnerImport, *, automatic: bool = False) -> None:
    """Resume a stopped import screening: a new run screens only the partners left.

    Refused (`ScreeningNotStopped`) while a run holds a live lease or once it finished.
    """
    with transaction.atomic():
        locked = PartnerImport.objects.select_for_update().get(pk=batch.pk)
        if not locked.screening_in_background or locked.screening_done:
            raise ScreeningNotStopped(_("This screening has already finished."))
        if locked.screening_lease_expired():
            mark_screening_stopped(locked)
        if not locked.screening_stopped:
            raise ScreeningNotStopped(_("This screening is still running."))
        if automatic:
            PartnerImport.objects.filter(pk=batch.pk).update(
                screening_restarts=models.F("screening_restarts") + 1
            )
        start_import_screening(locked)
    batch.refresh_from_db()


def recover_stopped_screenings() -> list[str]:
    """Mark import screenings whose worker was lost and resume them (at most
    AUTO_RESUMES times each; after that they wait for the Restart button)."""
    lines = []
    candidates = PartnerImport.objects.filter(
        screening_total__gt=0, screening_finished_at__isnull=True
    ).exclude(screening_heartbeat_at__isnull=True, screening_stopped_at__isnull=True)
    for batch in candidates:
        if batch.screening_lease_expired():
            mark_screening_stopped(batch)
        if not batch.screening_stopped:
            continue
        where = f"partner import {batch.pk}: stopped at {batch.screened_count} of "
        where += f"{batch.screening_total}"
        if batch.screening_restarts >= AUTO_RESUMES:
            lines.append(f"{where}; left for a person to restart")
            continue
        try:
            restart_screening(batch, automatic=True)
        except ScreeningNotStopped:
            continue  # restarted or finished meanwhile
        lines.append(f"{where}; resumed")
    return lines


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
            note_latest_screenings([screening.partner_id])
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
        note_latest_screenings([screening.partner_id])
        if verdict == ScreeningStatus.TRUE_MATCH:
            put_on_hold(screening, now)
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


# --- Hold after a confirmed match ------------------------------------------------------


class HoldRefused(NotAllowed):
    """A change to a partner's hold that the rules do not allow (the message says why)."""

    code = "hold_refused"


class NotOnHold(HoldRefused):
    code = "not_on_hold"
    default_message = gettext_lazy("This partner is not on hold.")


class HoldRoleRequired(HoldRefused):
    code = "hold_role_required"
    default_message = gettext_lazy(
        "Only a company officer or administrator may lift a hold after a confirmed match."
    )


class HoldReasonRequired(Invalid):
    code = "hold_reason_required"
    default_message = gettext_lazy("Say why the hold is lifted: the reason is kept as evidence.")


def put_on_hold(screening: PartnerScreening, now: datetime | None = None) -> None:
    """A confirmed watchlist match puts its partner on hold (called inside `decide`)."""
    partner = BusinessPartner.objects.select_for_update().get(pk=screening.partner_id)
    partner.on_hold = True
    partner.hold_since = now or timezone.now()
    partner.hold_screening = screening
    partner.hold_lifted_at = None
    partner.hold_lifted_by = None
    partner.hold_lift_reason = ""
    partner.save()  # through save(): the audit log records the hold


def may_lift_hold(partner: BusinessPartner, user: User) -> bool:
    from companies.models import Company

    return Company.objects.for_user(user, "manage").filter(pk=partner.company_id).exists()


def lift_hold(partner: BusinessPartner, user: User, reason: str) -> BusinessPartner:
    """Lift the hold a confirmed match put on a partner. Only a company officer or
    administrator ("manage") may, with a written reason; the lift is audited."""
    with transaction.atomic():
        locked = BusinessPartner.objects.select_for_update().get(pk=partner.pk)
        if not locked.on_hold:
            raise NotOnHold()
        if not may_lift_hold(locked, user):
            raise HoldRoleRequired()
        if not (reason or "").strip():
            raise HoldReasonRequired()
        locked.on_hold = False
        locked.hold_lifted_at = timezone.now()
        locked.hold_lifted_by = user
        locked.hold_lift_reason = reason.strip()
        locked.save()
    return locked
