"""Readiness checks and the figures read from the database at scrape time.

`readiness()` runs every check and says which fail; `PortalCollector` gives Prometheus the
task queue (depth, age of the oldest waiting task, failures), screening throughput and the
watchlist versions, read when /metrics is scraped, so every web process answers the same
figures and nothing is counted twice with several workers or machines.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)


@dataclass
class Check:
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def _uses_rq() -> bool:
    return bool(settings.TASKS["default"]["BACKEND"] == settings.RQ_BACKEND)


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Check(True)


def check_cache() -> Check:
    key = f"readyz-probe-{uuid.uuid4().hex}"
    cache.set(key, "1", 30)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        return Check(False, {"error": "a value written to the cache could not be read back"})
    return Check(True, {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]})


def oldest_waiting_task() -> tuple[int, datetime | None]:
    """(tasks waiting to run now, when the oldest of them was enqueued)."""
    if _uses_rq():
        import django_rq

        queue = django_rq.get_queue("default")
        ids = queue.get_job_ids(0, 0)
        job = queue.fetch_job(ids[0]) if ids else None
        enqueued = job.enqueued_at if job is not None else None
        if enqueued is not None and timezone.is_naive(enqueued):
            enqueued = timezone.make_aware(enqueued, UTC)
        return queue.count, enqueued
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    figures = ready.aggregate(n=Count("pk"), oldest=Min("enqueued_at"))
    return int(figures["n"]), figures["oldest"]


def check_tasks() -> Check:
    waiting, oldest = oldest_waiting_task()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    detail: dict[str, Any] = {"waiting": waiting, "oldest_age_seconds": round(age, 1)}
    limit = settings.READYZ_TASK_BACKLOG_SECONDS
    if age > limit:
        detail["error"] = (
            f"the oldest waiting task has waited {age:.0f} s (limit {limit} s): "
            "are the workers running?"
        )
        return Check(False, detail)
    return Check(True, detail)


def check_watchlists() -> Check:
    from screening.models import ListVersion

    versions = {
        v.source: {"list_date": v.list_date.isoformat(), "entities": v.listed_entities.count()}
        for v in ListVersion.objects.active()
    }
    if not versions:
        return Check(
            False,
            {"error": "no watchlist version is loaded: run `ctpat load_watchlists`"},
        )
    return Check(True, {"versions": versions})


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "cache": check_cache,
    "tasks": check_tasks,
    "watchlists": check_watchlists,
}


def readiness() -> tuple[bool, dict[str, Any]]:
    """Every check, in order; one that raises fails with its exception's type (the whole
    message, which may name hosts, goes only to the log)."""
    results: dict[str, Any] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            outcome = check()
        except Exception as exc:
            logger.exception("readiness check %s failed", name)
            outcome = Check(False, {"error": type(exc).__name__})
        results[name] = {
            "ok": outcome.ok,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **outcome.detail,
        }
        if not outcome.ok:
            failing.append(name)
    return not failing, {"status": "failing" if failing else "ok", "failing": failing, **results}


class PortalCollector(Collector):
    """Figures from the database (or RQ's Redis), read at each scrape."""

    def collect(self) -> Iterator[Any]:
        try:
            yield from self._tasks()
            yield from self._screening()
        except Exception:
            logger.exception("metrics: reading the portal's figures failed")
            up = GaugeMetricFamily("ctpat_metrics_collect_ok", "1 when every figure was read.")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("ctpat_metrics_collect_ok", "1 when every figure was read.")
        up.add_metric([], 1)
        yield up

    def _tasks(self) -> Iterator[Any]:
        depth = GaugeMetricFamily(
            "ctpat_task_queue_depth", "Background tasks waiting to run now.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "ctpat_task_oldest_waiting_seconds",
            "Age of the oldest background task waiting to run (0 when none waits).",
            labels=["queue"],
        )
        failures = CounterMetricFamily(
            "ctpat_task_failures",
            "Background tasks that ended in failure (as recorded by the queue).",
            labels=["queue"],
        )
        waiting, oldest = oldest_waiting_task()
        depth.add_metric(["default"], waiting)
        age.add_metric(["default"], (timezone.now() - oldest).total_seconds() if oldest else 0)
        if _uses_rq():
            import django_rq

            failed = django_rq.get_queue("default").failed_job_registry.count
        else:
            from django_tasks_db.models import DBTaskResult

            failed = DBTaskResult.objects.failed().count()
        failures.add_metric(["default"], failed)
        yield depth
        yield age
        yield failures

    def _screening(self) -> Iterator[Any]:
        from partners.models import PartnerScreening
        from screening.models import ListVersion

        screenings = CounterMetricFamily(
            "ctpat_partner_screenings",
            "Partner screenings done; rate() of it is the screening throughput.",
        )
        screenings.add_metric([], PartnerScreening.objects.count())
        yield screenings
        lists = GaugeMetricFamily(
            "ctpat_watchlist_version_age_seconds",
            "Age of the active version of each watchlist, from its list date.",
            labels=["source"],
        )
        now = timezone.now()
        for version in ListVersion.objects.active():
            list_day = datetime.combine(version.list_date, datetime.min.time(), tzinfo=UTC)
            lists.add_metric([version.source], (now - list_day).total_seconds())
        yield lists
