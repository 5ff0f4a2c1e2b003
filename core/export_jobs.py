"""Exports built in the background, with progress and a download link when ready.

An export that can take more than a couple of seconds at a large company (a CSV of
50,000 partners, a PDF of the whole security profile, the validation-readiness binder)
is not built in the request. Each app registers an *exporter* from its
`AppConfig.ready()` (dotted paths, so nothing heavy is imported at start-up):

    export_jobs.register(
        "partners.csv",
        _("Partner list (CSV)"),
        build="partners.exporting.partner_csv",
        count="partners.exporting.partner_count",
        immediate_below=5000,
    )

`build(ctx)` gets an `ExportContext` (company, user, parameters, progress) and returns
an `Output` (file name, content type, and bytes or an iterable of text chunks); it calls
`ctx.progress.set_total(n)` and `ctx.progress.advance()` as it goes. `count(company,
user, parameters)` says how many rows the export would hold: below `immediate_below` the
file is built in the request and sent at once (measured under 2 s), otherwise
`start(...)` records an `core.models.ExportJob`, enqueues `core.export_tasks.run_export`
on the Django tasks queue (`ctpat db_worker`, or RQ) and the reader lands on the job's
page, which polls its progress (HTMX) and offers the download when it is done.

Only the person who asked may see the job or download its file (another company's job,
or another person's, is a 404). Jobs and their files are removed after
`CTPAT_EXPORT_KEEP_HOURS` by the daily run (`ctpat send_reminders`) or
`ctpat cleanup_exports`; a job whose worker died is marked failed by `ctpat
recover_tasks`.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_stubs_ext import StrOrPromise

from core.models import ExportJob
from core.refusals import Refused

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

log = logging.getLogger(__name__)

# Sent when a job ends, done or failed (`job=`, the ExportJob as stored): the inbox of the
# workspace (the notices machinery) connects here to tell the requester the file is ready.
export_finished = Signal()

# How often, at most, a running export writes its progress (seconds).
PROGRESS_EVERY = 0.5
ERROR_ON_OUR_SIDE = gettext_noop(
    "The export stopped because of an error on our side. Please try again; if it "
    "happens again, tell your administrator."
)
WORKER_LOST = gettext_noop(
    "The export stopped before it finished (the background worker was interrupted). "
    "Please ask for it again."
)


@dataclass(frozen=True)
class Exporter:
    """One kind of export: what it is called, how to build it, how big it would be."""

    kind: str
    title: StrOrPromise
    build: str
    count: str | None = None
    immediate_below: int = 0
    action: str = "view"


@dataclass
class Output:
    """What an exporter made: the file name the reader downloads, its type, and its
    content (bytes, or text chunks written as UTF-8 as they come)."""

    filename: str
    content_type: str
    body: bytes | Iterable[str]


class Progress:
    """Counts what an exporter has done; a job's progress is written to its row at most
    every `PROGRESS_EVERY` seconds (and that write is the job's heartbeat)."""

    def __init__(self, job: ExportJob | None = None) -> None:
        self.job = job
        self.done = 0
        self.total = 0
        self._written = 0.0

    def set_total(self, total: int) -> None:
        self.total = max(total, 0)
        self._write(force=True)

    def advance(self, step: int = 1) -> None:
        self.done += step
        self._write()

    def _write(self, *, force: bool = False) -> None:
        if self.job is None:
            return
        now = time.monotonic()
        if not force and now - self._written < PROGRESS_EVERY:
            return
        self._written = now
        ExportJob.objects.filter(pk=self.job.pk).update(
            done=min(self.done, self.total) if self.total else self.done,
            total=self.total,
            updated_at=timezone.now(),
        )


@dataclass
class ExportContext:
    company: Any
    user: Any
    parameters: dict[str, Any]
    language: str
    progress: Progress = field(default_factory=Progress)


_REGISTRY: dict[str, Exporter] = {}


def register(
    kind: str,
    title: StrOrPromise,
    *,
    build: str,
    count: str | None = None,
    immediate_below: int = 0,
    action: str = "view",
) -> Exporter:
    """Declare an export (call from the app's `AppConfig.ready()`)."""
    if kind in _REGISTRY and _REGISTRY[kind].build != build:
        raise ValueError(f"export kind {kind!r} is registered twice")
    entry = Exporter(kind, title, build, count, immediate_below, action)
    _REGISTRY[kind] = entry
    return entry


def exporter(kind: str) -> Exporter:
    """The registered exporter of `kind`. Exporters of the project level (`portal`, which
    has no AppConfig) register when the URLconf loads; a worker may not have loaded it."""
    if kind not in _REGISTRY:
        import_module(settings.ROOT_URLCONF)
    return _REGISTRY[kind]


def registered() -> dict[str, Exporter]:
    return dict(_REGISTRY)


def query_parameters(request: HttpRequest, *, drop: Iterable[str] = ()) -> dict[str, Any]:
    """The request's query string as a job's parameters (lists kept as lists)."""
    dropped = set(drop)
    return {k: request.GET.getlist(k) for k in request.GET if k not in dropped}


def rows_for(kind: str, company: Any, user: Any, parameters: dict[str, Any]) -> int | None:
    """How many rows the export would hold (None when the exporter cannot say)."""
    entry = exporter(kind)
    if entry.count is None:
        return None
    counter: Callable[[Any, Any, dict[str, Any]], int] = import_string(entry.count)
    return counter(company, user, parameters)


def in_request(kind: str, company: Any, user: Any, parameters: dict[str, Any]) -> bool:
    """Whether the export is small enough to build in the request."""
    entry = exporter(kind)
    if getattr(settings, "CTPAT_EXPORTS_ALWAYS_BACKGROUND", False) or not entry.immediate_below:
        return False
    rows = rows_for(kind, company, user, parameters)
    return rows is not None and rows < entry.immediate_below


def build(kind: str, context: ExportContext) -> Output:
    builder: Callable[[ExportContext], Output] = import_string(exporter(kind).build)
    return builder(context)


def response_for(output: Output) -> HttpResponseBase:
    """The output as a download in the request (the small-company path)."""
    response: HttpResponseBase
    if isinstance(output.body, bytes):
        response = HttpResponse(output.body, content_type=output.content_type)
    else:
        response = StreamingHttpResponse(output.body, content_type=output.content_type)
    disposition = "inline" if output.content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{output.filename}"'
    return response


def start(
    request: HttpRequest,
    kind: str,
    company: Any,
    parameters: dict[str, Any] | None = None,
    *,
    background: bool | None = None,
) -> HttpResponseBase:
    """Answer a request for an export: the file itself when it is small, else a new
    background job and a redirect to its progress page."""
    parameters = parameters or {}
    user = request.user
    if background is None:
        background = not in_request(kind, company, user, parameters)
    if not background:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return response_for(build(kind, ExportContext(company, user, parameters, language)))
    job = enqueue(kind, company, user, parameters, language=translation.get_language())
    return redirect("exports:job", company_pk=company.pk, pk=job.pk)


def enqueue(
    kind: str,
    company: Any,
    user: AbstractBaseUser | Any,
    parameters: dict[str, Any],
    *,
    language: str | None = None,
) -> ExportJob:
    """Record a job and put it on the task queue (the task row commits with the job)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from core.export_tasks import run_export

    entry = exporter(kind)
    with translation.override(language or settings.LANGUAGE_CODE):
        title = str(entry.title)
    job = ExportJob.objects.create(
        company=company,
        requested_by_id=user.pk,
        kind=kind,
        title=title,
        parameters=parameters,
        language=language or settings.LANGUAGE_CODE,
    )

    def put_on_queue() -> None:
        result = run_export.enqueue(job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    if isinstance(run_export.get_backend(), ImmediateBackend):
        put_on_queue()  # runs now (tests, a deployment without a worker)
    else:
        # The job's row must be visible to the worker when it starts.
        transaction.on_commit(put_on_queue)
    job.refresh_from_db()
    return job


def run(job_pk: int) -> str:
    """Build the job's file and store it (the body of the background task)."""
    job = ExportJob.objects.select_related("company", "requested_by").filter(pk=job_pk).first()
    if job is None or job.finished:
        return "gone" if job is None else job.state
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING, started_at=timezone.now(), error=""
    )
    progress = Progress(job)
    try:
        with translation.override(job.language):
            context = ExportContext(job.company, job.requested_by, job.parameters, job.language)
            context.progress = progress
            output = build(job.kind, context)
            stored, size = _store(job, output)
    except Refused as refusal:
        _fail(job, str(refusal))
        return ExportJob.State.FAILED
    except Exception:
        log.exception("export job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            _fail(job, _(ERROR_ON_OUR_SIDE))
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        file=stored,
        filename=output.filename,
        content_type=output.content_type,
        size=size,
        done=progress.total or progress.done,
        total=progress.total or progress.done,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    export_finished.send(ExportJob, job=job)
    return ExportJob.State.DONE


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.FAILED, error=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    export_finished.send(ExportJob, job=job)


def _store(job: ExportJob, output: Output) -> tuple[str, int]:
    name = f"exports/{job.company_id}/{get_random_string(24)}/{output.filename}"
    with tempfile.TemporaryFile() as spool:
        if isinstance(output.body, bytes):
            spool.write(output.body)
        else:
            for chunk in output.body:
                spool.write(chunk.encode("utf-8"))
        size = spool.tell()
        spool.seek(0)
        stored = default_storage.save(name, File(spool, name=output.filename))
    return stored, size


def keep_hours() -> int:
    return int(getattr(settings, "CTPAT_EXPORT_KEEP_HOURS", 24))


def expires_at(job: ExportJob) -> datetime.datetime:
    return job.created_at + datetime.timedelta(hours=keep_hours())


def cleanup(now: datetime.datetime | None = None) -> int:
    """Delete jobs older than `CTPAT_EXPORT_KEEP_HOURS` and their files; the count."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=keep_hours())
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    removed = 0
    for job in old.only("pk", "file").iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


def daily_cleanup(today: datetime.date) -> int:
    """The daily run's step (`core.reminders.register_daily_step`)."""
    return cleanup()


def recover_lost() -> list[str]:
    """Mark failed the jobs whose worker stopped writing progress (`ctpat recover_tasks`)."""
    from core.tasks import mark_task_result_lost

    lease = datetime.timedelta(seconds=int(getattr(settings, "TASK_LEASE_SECONDS", 300)))
    stale = ExportJob.objects.filter(
        state=ExportJob.State.RUNNING, updated_at__lt=timezone.now() - lease
    )
    lines = []
    for job in stale:
        with translation.override(job.language):
            _fail(job, _(WORKER_LOST))
        mark_task_result_lost(job.task_id, f"no progress on export {job.pk}")
        lines.append(f"export {job.pk} ({job.kind}): worker lost, marked failed")
    return lines


# -- helpers for exporters ------------------------------------------------------------


def replay_request(user: Any, parameters: dict[str, Any]) -> HttpRequest:
    """A request carrying the job's query string and user, for code that reads filters
    and sorting from a request (`core.lists.bind`, `sorted_rows`, filter forms)."""
    from django.http import QueryDict

    request = HttpRequest()
    query = QueryDict(mutable=True)
    for key, values in parameters.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    request.GET = query  # type: ignore[assignment]  # a bound copy, as Django's own tests do
    request.user = user
    request.method = "GET"
    return request


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_text(
    rows: Iterable[Iterable[Any]], progress: Progress, *, header_rows: int = 1
) -> Iterable[str]:
    """Rows as CSV text (every cell through `core.exports.safe_cell`), counting each data
    row on `progress`."""
    from core.exports import safe_writer

    writer = safe_writer(_Echo())
    for index, row in enumerate(rows):
        yield writer.writerow(row)
        if index >= header_rows:
            progress.advance()


def list_csv(spec: Any, queryset: Any, context: ExportContext, filename: str) -> Output:
    """The CSV a `core.lists.ListSpec` page exports for the job's filters and sort."""
    from core.lists import bind, sorted_rows

    request = replay_request(context.user, context.parameters)
    filterset = bind(request, queryset, spec.filterset, spec.hide, None, spec.initial)
    rows = sorted_rows(request, filterset.qs, spec.columns, spec.default_sort)
    context.progress.set_total(rows.count())

    def lines() -> Iterable[list[Any]]:
        yield [str(h) for h in spec.csv_header]
        for obj in rows.iterator(chunk_size=2000):
            yield spec.csv_row(obj)

    return Output(filename, "text/csv; charset=utf-8", csv_text(lines(), context.progress))
