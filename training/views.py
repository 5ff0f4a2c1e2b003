"""Training pages: the dashboard, the matrix and its export, courses and retraining,
sessions with materials and attendance (sign-in sheet or on-screen signature),
individual records, and the security culture records (MSC 1.x)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.models import Company
from core import export_jobs, files, idempotency
from core.http import AuthenticatedHttpRequest
from core.importing import ImportForm, ImportRefused, template_response
from core.lists import ListSpec, col, render_list
from core.tenancy import get_for_user_or_404
from core.widgets import LOOKUP_LIMIT
from personnel.models import Employee
from personnel.sensitive import company_allows
from training import forms
from training.effectiveness import effectiveness
from training.filters import CourseFilter, SessionFilter
from training.importers import AttendanceImporter, import_attendance
from training.matrix import (
    NO_MANAGER,
    CourseSummary,
    Matrix,
    build_matrix,
    course_summaries,
    page_matrix,
    people_on_matrix,
    states_of,
    totals_of,
)
from training.models import (
    Course,
    CultureEvidence,
    CultureKind,
    CultureRecord,
    SessionMaterial,
    TrainingRecord,
    TrainingSession,
)
from training.programme import is_seeded, seed_company
from training.workflow import record_attendance, request_retraining, sign_record


def _company(request: AuthenticatedHttpRequest, company_pk: int, action: str) -> Company:
    return get_for_user_or_404(Company, request.user, action, pk=company_pk)


@login_required
def dashboard(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "view")
    # The first visit by someone who may edit gives the company the standard programme.
    if not is_seeded(company) and company_allows(request.user, company, "edit"):
        seed_company(company)
    summaries = course_summaries(company)
    measures = effectiveness([s.course for s in summaries if s.course])
    culture = {
        kind: CultureRecord.objects.filter(company=company, kind=kind).first()
        for kind in CultureKind.values
    }
    context = {
        "company": company,
        "summaries": [(s, measures[s.course.pk]) for s in summaries if s.course],
        "totals": totals_of(summaries),
        "employees": Employee.objects.filter(company=company, active=True).count(),
        "culture": [(CultureKind(k).label, r) for k, r in culture.items()],
        "seeded": is_seeded(company),
        "today": timezone.localdate(),
    }
    return render(request, "training/dashboard.html", context)


@login_required
@require_POST
def programme_load(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Add the standard roles and courses the company lacks; edited ones are kept."""
    company = _company(request, company_pk, "edit")
    result = seed_company(company)
    messages.success(
        request,
        _("Standard programme loaded: %(roles)s new roles, %(courses)s new courses.")
        % {"roles": result.roles_created, "courses": result.courses_created},
    )
    return redirect("training:dashboard", company_pk=company.pk)


def _matrix_filters(request: HttpRequest, company: Company) -> tuple[Any, Any, Any, str]:
    """The filter form and what it keeps: active employees, active courses, a state."""
    filters = forms.MatrixFilterForm(request.GET or None, company=company)
    employees = Employee.objects.filter(company=company, active=True)
    courses = Course.objects.filter(company=company, active=True)
    state = ""
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            employees = employees.filter(
                Q(first_name__icontains=data["q"])
                | Q(last_name__icontains=data["q"])
                | Q(employee_number=data["q"])
            )
        if data["facility"]:
            employees = employees.filter(facility=data["facility"])
        if data["role"]:
            employees = employees.filter(
                pk__in=Employee.roles.through.objects.filter(securityrole=data["role"]).values(
                    "employee_id"
                )
            )
        if data["manager"] == NO_MANAGER:
            employees = employees.filter(manager_email="")
        if data["course"]:
            courses = courses.filter(pk=data["course"].pk)
        state = data["state"]
    return filters, employees, courses, state


def filtered_matrix(request: HttpRequest, company: Company) -> tuple[Matrix, Any]:
    """The whole filtered matrix (the exports)."""
    filters, employees, courses, state = _matrix_filters(request, company)
    matrix = build_matrix(company, employees=employees, courses=courses)
    if state:
        states = states_of(state)
        matrix.rows = [r for r in matrix.rows if any(c.state in states for c in r.required())]
    # People none of the chosen courses applies to add nothing to the page.
    matrix.rows = [r for r in matrix.rows if r.required()]
    return matrix, filters


MATRIX_PAGE_SIZE = 50


def matrix_page(request: HttpRequest, company: Company) -> tuple[Matrix, Any, Page[Any]]:
    """One page of the filtered matrix. The database finds the people on the page (those
    with a required course, in the chosen state) and counts them; only the page's people
    are judged in Python."""
    filters, employees, courses, state = _matrix_filters(request, company)
    today = timezone.localdate()
    course_list = list(courses.prefetch_related("roles"))
    people = people_on_matrix(employees, course_list, state, today)
    page = Paginator(people, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    ids: list[int] = list(page.object_list)
    matrix = page_matrix(company, ids, course_list, today)
    return matrix, filters, page


@login_required
def matrix_view(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "view")
    matrix, filters, page = matrix_page(request, company)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/matrix.html",
        {
            "company": company,
            "matrix": matrix,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
def matrix_export(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    """The filtered matrix as CSV or Excel: at once for a small company, else built in the
    background (`training.exporting`) with a progress page."""
    company = _company(request, company_pk, "view")
    parameters = export_jobs.query_parameters(request)
    return export_jobs.start(request, "training.matrix", company, parameters)


COURSES = ListSpec(
    CourseFilter,
    [
        col("title", _l("Course"), "title_en"),
        col("criteria", _l("MSC criteria"), sortable=False),
        col("refresher_months", _l("Refresher")),
        col("roles", _l("Required for"), sortable=False),
    ],
    default_sort=("title_en",),
    csv=["code", "title_en", "title_es", "criteria", "refresher_months", "roles", "active"],
    empty_text=_l("No courses yet."),
)


@login_required
def course_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = _company(request, company_pk, "edit" if request.method == "POST" else "view")
    form = forms.CourseForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        return idempotency.save_once(request, form, lambda c: c.get_absolute_url())
    courses = Course.objects.for_user(request.user, "view").filter(company=company)
    return render_list(
        request,
        COURSES,
        courses.prefetch_related("roles"),
        "training/course_list.html",
        {"company": company, "form": form},
        company=company,
        filename=f"courses-{company.pk}.csv",
    )


@login_required
def course_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    course = get_for_user_or_404(Course, request.user, "view", pk=pk, company_id=company_pk)
    (summary,) = course_summaries(course.company, courses=[course]) or [CourseSummary(course)]
    sessions = course.sessions.annotate(attendees=Count("records")).order_by("-held_on", "-pk")[:20]
    return render(
        request,
        "training/course_detail.html",
        {
            "company": course.company,
            "course": course,
            "summary": summary,
            "measure": effectiveness([course])[course.pk],
            "sessions": sessions,
            "retrainings": course.retrainings.select_related("employee")[:50],
        },
    )


@login_required
def course_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    course = get_for_user_or_404(Course, request.user, "edit", pk=pk, company_id=company_pk)
    form = forms.CourseForm(request.POST or None, instance=course, company=course.company)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(course)
    return render(
        request,
        "training/course_form.html",
        {"company": course.company, "course": course, "form": form},
    )


@login_required
def course_retrain(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    course = get_for_user_or_404(Course, request.user, "edit", pk=pk, company_id=company_pk)
    form = forms.RetrainForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = request_retraining(
            course,
            roles=data["roles"],
            employees=data["employees"],
            trigger=data["trigger"],
            reason=data["reason"],
            by=request.user,
        )
        messages.success(
            request, _("%(count)s people must now retake this course.") % {"count": count}
        )
        return redirect(course)
    return render(
        request,
        "training/course_retrain.html",
        {"company": course.company, "course": course, "form": form},
    )


SESSIONS = ListSpec(
    SessionFilter,
    [
        col("held_on", _l("Date")),
        col("course", _l("Course"), "course__title_en"),
        col("trainer", _l("Trainer")),
        col("facility", _l("Facility"), "facility__name", "facility__city"),
        col("attendees", _l("Attendees")),
    ],
    default_sort=("-held_on", "-pk"),
    csv=["held_on", ("course", "course.code"), "trainer", "facility", "attendees", "topics"],
    empty_text=_l("No sessions yet."),
)


@login_required
def session_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = _company(request, company_pk, "view")
    sessions = (
        TrainingSession.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("course", "facility")
        .annotate(attendees=Count("records"))
    )
    return render_list(
        request,
        SESSIONS,
        sessions,
        "training/session_list.html",
        {"company": company},
        company=company,
        filename=f"training-sessions-{company.pk}.csv",
    )


@login_required
def session_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit")
    form = forms.SessionForm(
        request.POST or None,
        request.FILES or None,
        company=company,
        initial={"course": request.GET.get("course"), "held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        return idempotency.save_once(request, form, lambda s: s.get_absolute_url())
    return render(request, "training/session_form.html", {"company": company, "form": form})


def _session_page(
    request: AuthenticatedHttpRequest,
    session: TrainingSession,
    *,
    attendance: Any = None,
    material: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "company": session.company,
        "session": session,
        "records": session.records.select_related("employee"),
        "materials": session.materials.all(),
        "attendance": attendance or forms.AttendanceForm(session=session),
        "material_form": material or forms.MaterialForm(session=session),
    }
    return render(request, "training/session_detail.html", context, status=status)


@login_required
def session_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    session = get_for_user_or_404(
        TrainingSession.objects.select_related("course"),
        request.user,
        "view",
        pk=pk,
        company_id=company_pk,
    )
    return _session_page(request, session)


@login_required
def session_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    session = get_for_user_or_404(
        TrainingSession, request.user, "edit", pk=pk, company_id=company_pk
    )
    form = forms.SessionForm(
        request.POST or None, request.FILES or None, instance=session, company=session.company
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(session)
    return render(
        request,
        "training/session_form.html",
        {"company": session.company, "form": form, "session": session},
    )


@login_required
def course_people_lookup(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    """The people matching what was typed whose roles require the course (HTMX, for the
    retraining form's search box)."""
    course = get_for_user_or_404(Course, request.user, "edit", pk=pk, company_id=company_pk)
    query = request.GET.get("q", "").strip()
    found = forms.course_people(course).matching(query)[:LOOKUP_LIMIT] if query else []
    matches = [(e.pk, e.lookup_label) for e in found]
    return render(request, "core/search_matches.html", {"found": matches, "q": query})


@login_required
def attendee_lookup(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The people matching what was typed who may still be recorded as attending the
    session, ★ marking those whose roles require its course (HTMX, for the attendance
    form's search box)."""
    session = get_for_user_or_404(
        TrainingSession.objects.select_related("course"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    query = request.GET.get("q", "").strip()
    found = (
        forms.attendee_choices(session)
        .matching(query)
        .annotate(
            required=Exists(
                Employee.roles.through.objects.filter(
                    employee_id=OuterRef("pk"),
                    securityrole_id__in=session.course.roles.values("pk"),
                )
            )
        )[:LOOKUP_LIMIT]
        if query
        else []
    )
    matches = [(e.pk, f"{e.lookup_label} ★" if e.required else e.lookup_label) for e in found]
    return render(request, "core/search_matches.html", {"found": matches, "q": query})


@login_required
@require_POST
def attendance_add(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    session = get_for_user_or_404(
        TrainingSession.objects.select_related("course"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    form = forms.AttendanceForm(request.POST, session=session)
    if not form.is_valid():
        return _session_page(request, session, attendance=form, status=400)
    data = form.cleaned_data
    created = record_attendance(
        session,
        data["employees"],
        completed_on=data["completed_on"],
        by=request.user,
        quiz_score=data["quiz_score"],
        observation=data["observation"],
    )
    messages.success(request, _("%(count)s attendees recorded.") % {"count": len(created)})
    return redirect(session)


@login_required
def attendance_import_template(
    request: AuthenticatedHttpRequest, company_pk: int, kind: str
) -> HttpResponse:
    """The attendance file to start from: the header row, in the reader's language."""
    get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    return template_response(AttendanceImporter, kind)


@login_required
def attendance_import(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    session = get_for_user_or_404(
        TrainingSession, request.user, "edit", pk=pk, company_id=company_pk
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = import_attendance(session, upload, upload.name, by=request.user)
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, _("%(count)s attendees recorded.") % {"count": count})
            return redirect(session)
    return render(
        request,
        "training/attendance_import.html",
        {
            "company": session.company,
            "session": session,
            "form": form,
            "problems": problems,
            "columns": AttendanceImporter.columns,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def material_add(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    session = get_for_user_or_404(
        TrainingSession.objects.select_related("course"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    form = forms.MaterialForm(request.POST, request.FILES, session=session)
    if form.is_valid():
        return idempotency.save_once(request, form, lambda m: session.get_absolute_url())
    return _session_page(request, session, material=form, status=400)


@login_required
def material_file(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponseBase:
    return files.serve_for_user(request, SessionMaterial, "file", pk=pk, company_id=company_pk)


@login_required
def session_sheet(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponseBase:
    return files.serve_for_user(
        request, TrainingSession, "sign_in_sheet", pk=pk, company_id=company_pk
    )


@login_required
def employee_records(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """One person's training: what their roles require, the state of each, every record,
    and (for editors) a form for training taken outside our sessions."""
    action = "edit" if request.method == "POST" else "view"
    employee = get_for_user_or_404(Employee, request.user, action, pk=pk, company_id=company_pk)
    form = forms.RecordForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        form.instance.recorded_by = request.user
        return idempotency.save_once(
            request,
            form,
            lambda r: reverse("training:employee-records", args=[company_pk, employee.pk]),
        )
    matrix = build_matrix(employee.company, employees=[employee]) if employee.active else None
    records = employee.training_records.select_related("course", "session")
    return render(
        request,
        "training/employee_records.html",
        {
            "company": employee.company,
            "employee": employee,
            "form": form,
            "records": records,
            "cells": matrix.rows[0].required() if matrix and matrix.rows else [],
        },
    )


@login_required
def record_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    record = get_for_user_or_404(
        TrainingRecord.objects.select_related("employee"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    form = forms.RecordForm(request.POST or None, instance=record, employee=record.employee)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("training:employee-records", company_pk=company_pk, pk=record.employee_id)
    return render(
        request,
        "training/record_form.html",
        {"company": record.company, "record": record, "form": form},
    )


@login_required
def record_sign(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """The attendee signs on screen; the drawing is stored as a PNG on the record."""
    record = get_for_user_or_404(
        TrainingRecord.objects.select_related("employee", "session"),
        request.user,
        "edit",
        pk=pk,
        company_id=company_pk,
    )
    form = forms.SignatureForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        sign_record(record, form.cleaned_data["signature"])
        messages.success(request, _("Signature saved for %(name)s.") % {"name": record.employee})
        target = (
            record.session.get_absolute_url()
            if record.session
            else reverse("training:employee-records", args=[company_pk, record.employee_id])
        )
        return redirect(target)
    return render(
        request,
        "training/record_sign.html",
        {"company": record.company, "record": record, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def record_signature(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponseBase:
    return files.serve_for_user(request, TrainingRecord, "signature", pk=pk, company_id=company_pk)


@login_required
def culture_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit" if request.method == "POST" else "view")
    form = forms.CultureRecordForm(
        request.POST or None, company=company, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        return idempotency.save_once(request, form, lambda r: r.get_absolute_url())
    records = (
        CultureRecord.objects.filter(company=company)
        .annotate(files=Count("evidence"))
        .order_by("-dated", "-pk")
    )
    return render(
        request,
        "training/culture_list.html",
        {"company": company, "records": records, "form": form},
    )


@login_required
def culture_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    action = "edit" if request.method == "POST" else "view"
    record = get_for_user_or_404(CultureRecord, request.user, action, pk=pk, company_id=company_pk)
    form = forms.EvidenceForm(request.POST or None, request.FILES or None, record=record)
    if request.method == "POST" and form.is_valid():
        return idempotency.save_once(request, form, lambda e: record.get_absolute_url())
    return render(
        request,
        "training/culture_detail.html",
        {
            "company": record.company,
            "record": record,
            "form": form,
            "evidence": record.evidence.all(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def culture_evidence_file(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponseBase:
    return files.serve_for_user(request, CultureEvidence, "file", pk=pk, company_id=company_pk)
