"""Personnel pages: employees and their security roles, screening (MSC 11.1, 11.2), the
code-of-conduct acknowledgement (11.5), the separation checklist and the log of who saw
sensitive screening details."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.models import Company
from core import files, idempotency
from core.http import AuthenticatedHttpRequest
from core.importing import ImportForm, ImportRefused, template_response
from core.lists import ListSpec, col, render_list
from core.tenancy import get_for_user_or_404
from core.widgets import LOOKUP_LIMIT
from personnel import forms, workflow
from personnel.filters import AccessLogFilter, EmployeeFilter, ScreeningFilter
from personnel.importers import EmployeeImporter, import_employees
from personnel.models import (
    ConductAcknowledgement,
    Employee,
    Screening,
    SecurityRole,
    SensitiveAccessLog,
    Separation,
)
from personnel.sensitive import can_see_sensitive, log_sensitive_view
from personnel.workflow import record_separation


def _company(request: AuthenticatedHttpRequest, company_pk: int, action: str) -> Company:
    return get_for_user_or_404(Company, request.user, action, pk=company_pk)


EMPLOYEES = ListSpec(
    EmployeeFilter,
    [
        col("employee_number", _l("Number")),
        col("name", _l("Name"), "last_name", "first_name"),
        col("facility", _l("Facility"), "facility__name", "facility__city"),
        col("roles", _l("Security roles"), sortable=False),
        col("active", _l("Status")),
    ],
    default_sort=("last_name", "first_name"),
    csv=["employee_number", "first_name", "last_name", "job_title", "facility", "roles", "active"],
    empty_text=_l("No employees yet."),
    initial={"active": "true"},  # people who left stay out until the reader asks
)


@login_required
def employee_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = _company(request, company_pk, "edit" if request.method == "POST" else "view")
    form = forms.EmployeeForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            employee = workflow.save_employee(
                form.save(commit=False), roles=form.cleaned_data["roles"]
            )
            idempotency.done(claimed, employee.get_absolute_url())
        messages.success(request, _("Saved."))
        return redirect(employee)
    return render_list(
        request,
        EMPLOYEES,
        Employee.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("facility")
        .prefetch_related("roles"),
        "personnel/employee_list.html",
        {"company": company, "form": form},
        company=company,
        filename=f"employees-{company.pk}.csv",
    )


@login_required
def employee_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    employee = get_for_user_or_404(Employee, request.user, "view", pk=pk, company_id=company_pk)
    return _employee_page(request, employee, forms.AcknowledgementForm(employee=employee))


def _employee_page(
    request: AuthenticatedHttpRequest, employee: Employee, ack_form: Any, status: int = 200
) -> HttpResponse:
    context = {
        "company": employee.company,
        "employee": employee,
        "screenings": employee.screenings.all(),
        "acknowledgements": employee.acknowledgements.all(),
        "separation": Separation.objects.filter(employee=employee).first(),
        "ack_form": ack_form,
    }
    return render(request, "personnel/employee_detail.html", context, status=status)


@login_required
def employee_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    employee = get_for_user_or_404(Employee, request.user, "edit", pk=pk, company_id=company_pk)
    form = forms.EmployeeForm(request.POST or None, instance=employee, company=employee.company)
    if request.method == "POST" and form.is_valid():
        workflow.save_employee(form.save(commit=False), roles=form.cleaned_data["roles"])
        messages.success(request, _("Saved."))
        return redirect(employee)
    return render(
        request,
        "personnel/employee_form.html",
        {"company": employee.company, "employee": employee, "form": form},
    )


@login_required
@require_POST
def employee_deactivate(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    """'Delete' an employee: they leave the matrix and reminders; every record is kept."""
    employee = get_for_user_or_404(Employee, request.user, "edit", pk=pk, company_id=company_pk)
    employee.deactivate()
    messages.success(
        request,
        _("%(name)s is deactivated; their records are kept as evidence.") % {"name": employee},
    )
    return redirect(employee)


@login_required
@require_POST
def employee_reactivate(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    employee = get_for_user_or_404(Employee, request.user, "edit", pk=pk, company_id=company_pk)
    employee.reactivate()
    messages.success(request, _("%(name)s is active again.") % {"name": employee})
    return redirect(employee)


@login_required
def employee_import_template(
    request: AuthenticatedHttpRequest, company_pk: int, kind: str
) -> HttpResponse:
    """The employee file to start from: the header row, in the reader's language."""
    _company(request, company_pk, "edit")
    return template_response(EmployeeImporter, kind)


@login_required
def employee_import(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit")
    # A double click or a re-sent form imports once: the repeat goes to the first result.
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                result = import_employees(company, upload, upload.name)
                idempotency.done(claimed, reverse("personnel:employee-list", args=[company.pk]))
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("personnel:employee-list", company_pk=company.pk)
    return render(
        request,
        "personnel/employee_import.html",
        {
            "company": company,
            "form": form,
            "problems": problems,
            "columns": EmployeeImporter.columns,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def acknowledgement_create(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    employee = get_for_user_or_404(Employee, request.user, "edit", pk=pk, company_id=company_pk)
    form = forms.AcknowledgementForm(request.POST, request.FILES, employee=employee)
    if form.is_valid():
        return idempotency.save_once(request, form, lambda a: employee.get_absolute_url())
    return _employee_page(request, employee, form, status=400)


@login_required
def acknowledgement_file(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponseBase:
    return files.serve_for_user(
        request, ConductAcknowledgement, "evidence", pk=pk, company_id=company_pk
    )


@login_required
def separation_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    employee = get_for_user_or_404(Employee, request.user, "edit", pk=pk, company_id=company_pk)
    instance = Separation.objects.filter(employee=employee).first()
    form = forms.SeparationForm(request.POST or None, instance=instance, employee=employee)
    if request.method == "POST" and form.is_valid():
        separation = record_separation(form)
        if separation.complete:
            messages.success(request, _("Separation recorded; all access has been removed."))
        else:
            messages.warning(
                request,
                _("Separation recorded. Still to do: %(steps)s.")
                % {"steps": ", ".join(separation.missing_steps())},
            )
        return redirect(employee)
    return render(
        request,
        "personnel/separation_form.html",
        {"company": employee.company, "employee": employee, "form": form},
    )


@login_required
def role_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit" if request.method == "POST" else "view")
    form = forms.SecurityRoleForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        return idempotency.save_once(
            request, form, lambda r: reverse("personnel:role-list", args=[company.pk])
        )
    roles = SecurityRole.objects.filter(company=company).prefetch_related("courses")
    return render(
        request, "personnel/role_list.html", {"company": company, "roles": roles, "form": form}
    )


@login_required
def role_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    role = get_for_user_or_404(SecurityRole, request.user, "edit", pk=pk, company_id=company_pk)
    form = forms.SecurityRoleForm(request.POST or None, instance=role, company=role.company)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("personnel:role-list", company_pk=company_pk)
    return render(
        request, "personnel/role_form.html", {"company": role.company, "role": role, "form": form}
    )


SCREENINGS = ListSpec(
    ScreeningFilter,
    [
        col("employee", _l("Employee"), "employee__last_name", "employee__first_name"),
        col("kind", _l("Type")),
        col("checked_on", _l("Checked on")),
        col("outcome", _l("Outcome")),
        col("recheck_due", _l("Re-check due")),
    ],
    default_sort=("-checked_on", "-pk"),
    # Never the sensitive fields (outcome details, notes): those are shown one check at a
    # time, to officers and admins, and each view is logged.
    csv=[
        ("employee_number", "employee.employee_number"),
        ("employee", "employee.full_name"),
        "kind",
        "checked_on",
        "provider",
        "outcome",
        "recheck_due",
    ],
    empty_text=_l("No checks recorded."),
    hide=("company", "employee"),
)


@login_required
def screening_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = _company(request, company_pk, "view")
    return render_list(
        request,
        SCREENINGS,
        Screening.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("employee"),
        "personnel/screening_list.html",
        {"company": company, "sensitive": can_see_sensitive(request.user, company)},
        company=company,
        filename=f"screenings-{company.pk}.csv",
    )


@login_required
def screening_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "manage")
    initial = {"employee": request.GET.get("employee")}
    form = forms.ScreeningForm(request.POST or None, company=company, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            screening = workflow.record_screening(form.save(commit=False), by=request.user)
            idempotency.done(claimed, screening.get_absolute_url())
        messages.success(request, _("Saved."))
        return redirect(screening)
    return render(request, "personnel/screening_form.html", {"company": company, "form": form})


@login_required
def screening_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    screening = get_for_user_or_404(
        Screening.objects.select_related("employee"),
        request.user,
        "view",
        pk=pk,
        company_id=company_pk,
    )
    sensitive = can_see_sensitive(request.user, company_pk)
    if sensitive:
        log_sensitive_view(request, [screening.employee], channel="page")
    return render(
        request,
        "personnel/screening_detail.html",
        {"company": screening.company, "screening": screening, "sensitive": sensitive},
    )


@login_required
def screening_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    screening = get_for_user_or_404(Screening, request.user, "manage", pk=pk, company_id=company_pk)
    form = forms.ScreeningForm(request.POST or None, instance=screening, company=screening.company)
    if request.method == "POST" and form.is_valid():
        workflow.record_screening(form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect(screening)
    if request.method == "GET":
        # The edit form shows the sensitive fields too.
        log_sensitive_view(request, [screening.employee], channel="edit")
    return render(
        request,
        "personnel/screening_form.html",
        {"company": screening.company, "form": form, "screening": screening},
    )


ACCESS_LOG = ListSpec(
    AccessLogFilter,
    [
        col("created_at", _l("When")),
        col("user_email", _l("Who")),
        col("employee", _l("Employee"), "employee__last_name", "employee__first_name"),
        col("channel", _l("Seen through")),
    ],
    default_sort=("-created_at", "-pk"),
    csv=[
        "created_at",
        "user_email",
        ("employee_number", "employee.employee_number"),
        ("employee", "employee.full_name"),
        "channel",
        "path",
    ],
    empty_text=_l("Nobody has viewed them yet."),
    count=False,  # a log only grows: no COUNT over it
)


@login_required
def access_log(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = _company(request, company_pk, "manage")
    return render_list(
        request,
        ACCESS_LOG,
        SensitiveAccessLog.objects.filter(company=company).select_related("employee"),
        "personnel/access_log.html",
        {"company": company},
        company=company,
        filename=f"sensitive-access-{company.pk}.csv",
    )


@login_required
def employee_lookup(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The employees whose name or number contains what was typed, for a form's person box
    (HTMX)."""
    company = _company(request, company_pk, "view")
    query = request.GET.get("q", "").strip()
    found = (
        Employee.objects.matching(query)
        .for_user(request.user, "view")
        .filter(company=company)[:LOOKUP_LIMIT]
        if query
        else []
    )
    matches = [(e.pk, e.lookup_label) for e in found]
    return render(request, "core/search_matches.html", {"found": matches, "q": query})
