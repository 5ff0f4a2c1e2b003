"""Corrective action pages: the company's list (with the form to add one), one action
with its evidence, and the evidence download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from actions import workflow
from actions.choices import ActionStatus
from actions.filters import ActionFilter
from actions.forms import ActionEvidenceForm, ActionForm
from actions.models import ActionEvidence, CorrectiveAction
from companies.context_processors import remember_company
from companies.models import Company
from core import files, idempotency
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.tenancy import get_for_user_or_404

ACTIONS = ListSpec(
    ActionFilter,
    [
        col("title", _l("Action")),
        col("criterion_ref", _l("Criterion")),
        col("owner", _l("Owner"), "owner__email"),
        col("due_date", _l("Due date")),
        col("status", _l("Status")),
    ],
    default_sort=("due_date", "pk"),
    csv=["title", "criterion_ref", ("owner", "owner.email"), "due_date", "status", "completed_at"],
    empty_text=_l("No corrective actions."),
)


@login_required
def action_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    remember_company(request, company)
    form = ActionForm(request.POST or None, company=company, initial={"status": ActionStatus.OPEN})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            created = workflow.save_action(form.save(commit=False), by=request.user)
            idempotency.done(claimed, created.get_absolute_url())
        messages.success(request, _("Corrective action added."))
        return redirect(created)
    context = {
        "company": company,
        "form": form,
        "may_edit": Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists(),
        "today": timezone.localdate(),
    }
    return render_list(
        request,
        ACTIONS,
        CorrectiveAction.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("owner"),
        "actions/action_list.html",
        context,
        filename=f"actions-{company.pk}.csv",
        status=400 if form.errors else 200,
    )


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
        workflow.save_action(form.save(commit=False))
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

    item = workflow.add_evidence(action, form.cleaned_data["file"], request.user)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": item.original_name})
    return redirect(action)


@login_required
def action_evidence_download(
    request: AuthenticatedHttpRequest, company_pk: int, file_pk: int
) -> HttpResponseBase:
    return files.serve_for_user(
        request, ActionEvidence, "file", pk=file_pk, action__company_id=company_pk
    )
