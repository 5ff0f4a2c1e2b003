"""The page of one background export: its progress (polled with HTMX) and, when it is
ready, the download link (`core.export_jobs`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import export_jobs, files
from core.models import ExportJob
from core.tenancy import get_for_user_or_404


def _job(request: HttpRequest, company_pk: int, pk: int) -> ExportJob:
    # The person who asked, in a company they still belong to; anyone else gets a 404.
    return get_for_user_or_404(
        ExportJob.objects.select_related("company").filter(requested_by_id=request.user.pk),
        request.user,
        "view",
        pk=pk,
        company_id=company_pk,
    )


def _context(job: ExportJob) -> dict[str, object]:
    # The title in the reader's language (the job keeps it in the file's language).
    entry = export_jobs.registered().get(job.kind)
    title = str(entry.title) if entry is not None else job.title
    return {
        "job": job,
        "company": job.company,
        "title": title,
        "expires": export_jobs.expires_at(job),
    }


@login_required
@require_safe
def job_page(request: HttpRequest, company_pk: int, pk: int) -> HttpResponse:
    job = _job(request, company_pk, pk)
    return render(request, "core/export_job.html", _context(job))


@login_required
@require_safe
def job_status(request: HttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The progress fragment (polled every second while the job runs)."""
    job = _job(request, company_pk, pk)
    return render(request, "core/_export_status.html", _context(job))


@login_required
@require_safe
def job_download(request: HttpRequest, company_pk: int, pk: int) -> HttpResponseBase:
    job = _job(request, company_pk, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    return files.file_response(
        job.file, filename=job.filename, content_type=job.content_type, inline=False
    )


def only_the_requester(request: HttpRequest, job: ExportJob) -> None:
    """`core.files` rule for the generic file route: a job's file is its requester's."""
    if job.requested_by_id != request.user.pk:
        raise Http404
