"""Corrective action pages: the company's list (with the form to add one), one action
with its evidence, and the evidence download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions.choices import ActionStatus
from actions.forms import ActionEvidenceForm, ActionFilterForm, ActionForm
from actions.models import ActionEvidence, CorrectiveAction
from companies.context_processors import remember_company
from companies.models import Company
from core import files, idempotency
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404
from core.uploads import attach, store_file


def _filtered(company: Company, filters: ActionFilterForm) -> Any:
    actions = CorrectiveAction.objects.filter(company=company).select_related("owner")
    data = filters.cleaned_data if filters.is_valid() else {"status": "", "owner": ""}
    status = data["status"]
    if status == "":
        actions = actions.open()
    elif status == "overdue":
        actions = actions.overdue()
    elif status != "all":
        actions = actions.filter(status=status)
    owner = data["owner"]
    if owner == "none":
        actions = actions.filter(owner__isnull=True)
    elif owner:
        actions = actions.filter(owner_id=int(owner))
    return actions


@login_required
def action_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    remember_company(request, company)
    form = ActionForm(request.POST or None, company=company, initial={"status": ActionStatus.OPEN})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            form.instance.created_by = request.user
            created = form.save()
            idempotency.done(claimed, created.get_absolute_url())
        messages.success(request, _("Corrective action added."))
        return redirect(created)
    filters = ActionFilterForm(request.GET or None, company=company)
    context = {
        "company": company,
        "actions": _filtered(company, filters),
        "filters": filters,
        "form": form,
        "may_edit": Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists(),
        "today": timezone.localdate(),
    }
    return render(request, "actions/action_list.html", context, status=400 if form.errors else 200)


@login_required
def action_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    permission = "edit" if request.method == "POST" else "view"
    action = get_for_user_or_404(
        CorrectiveAction.objects.select_related("company", "owner"),
        request.user,
        permission,
        pk=pk,
        company_id=company_pk,
    )
    company = action.company
    form = ActionForm(request.POST or None, instance=action, company=company)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(action)
    context = {
        "company": company,
        "action": action,
        "form": form,
        "evidence_form": ActionEvidenceForm(),
        "evidence": action.evidence.all(),
        "may_edit": Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists(),
        "today": timezone.localdate(),
    }
    return render(
        request, "actions/action_detail.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def action_evidence_upload(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    action = get_for_user_or_404(
        CorrectiveAction, request.user, "edit", pk=pk, company_id=company_pk
    )
    form = ActionEvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect(action)

    def write(stored: str, checked: Any) -> ActionEvidence:
        item = ActionEvidence(action=action)
        attach(item, stored, checked, uploaded_by=request.user)
        item.save()
        return item

    item = store_file(form.cleaned_data["file"], f"actions/{company_pk}", write)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": item.original_name})
    return redirect(action)


@login_required
def action_evidence_download(
    request: AuthenticatedHttpRequest, company_pk: int, file_pk: int
) -> HttpResponseBase:
    return files.serve_for_user(
        request, ActionEvidence, "file", pk=file_pk, action__company_id=company_pk
    )
