"""Seal log pages: the log, receiving a range, one seal with its history and the verbs
that move it on, and the inventory audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.models import Company
from core import idempotency
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.tenancy import get_for_user_or_404
from seals import workflow
from seals.filters import SealFilter
from seals.forms import AffixForm, AuditForm, CheckForm, IssueForm, ReceiveForm, VoidForm
from seals.models import Seal, SealAudit


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


SEALS = ListSpec(
    SealFilter,
    [
        col("number", _l("Number")),
        col("status", _l("Status")),
        col("iit_number", _l("Container / trailer")),
        col("holder_name", _l("Issued to")),
        col("storage_location", _l("Stored at")),
        col("updated_at", _l("Last change")),
    ],
    default_sort=("-updated_at",),
    csv=["number", "status", "iit_number", "holder_name", "storage_location", "updated_at"],
    empty_text=_l("No seals yet."),
    count=False,  # a log of 50,000 seals: newer / older links, never a COUNT
)


@login_required
def seal_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    return render_list(
        request,
        SEALS,
        Seal.objects.for_user(request.user, "view").filter(company=company),
        "seals/seal_list.html",
        {
            "company": company,
            "last_audit": SealAudit.objects.filter(company=company).first(),
            "can_receive": _may(request, company, "edit"),
            "can_audit": _may(request, company, "manage"),
        },
        filename=f"seals-{company.pk}.csv",
    )


def _may(request: AuthenticatedHttpRequest, company: Company, action: str) -> bool:
    return Company.objects.for_user(request.user, action).filter(pk=company.pk).exists()


@login_required
def seal_receive(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    # Seal deliveries arrive at the gate, where guards and inspectors (the "user" role)
    # take them in and log them; the inventory audit stays with managers, so the people
    # who handle seals are not the ones who reconcile them (MSC 6.6).
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = ReceiveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                numbers = workflow.range_numbers(d["letters"], d["first"], d["last"], d["width"])
                count = workflow.receive_range(
                    company,
                    numbers=numbers,
                    manufacturer=d["manufacturer"],
                    iso_class=d["iso_class"],
                    certificate_ref=d["certificate_ref"],
                    storage_location=d["storage_location"],
                    by=request.user,
                )
                url = reverse("seals:seal-list", args=[company.pk])
                idempotency.done(claimed, url)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)d seals received.") % {"n": count})
            return redirect(url)
    return render(request, "seals/seal_receive.html", {"company": company, "form": form})


# A phone shows at most this many matches under a search-as-you-type box.
LOOKUP_LIMIT = 20


@login_required
def seal_lookup(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The seals whose number contains what was typed, for a form's seal box (HTMX)."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    query = request.GET.get("q", "").strip()
    seals = (
        Seal.objects.filter(company=company, number__icontains=query)[:LOOKUP_LIMIT]
        if query
        else Seal.objects.none()
    )
    return render(request, "seals/seal_lookup.html", {"seals": seals, "q": query})


@login_required
def seal_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    seal = get_for_user_or_404(
        Seal.objects.select_related("company"), request.user, "view", company_id=company_pk, pk=pk
    )
    return _detail(request, seal)


def _detail(request: AuthenticatedHttpRequest, seal: Seal, **forms: Any) -> HttpResponse:
    context = {
        "company": seal.company,
        "seal": seal,
        "events": seal.events.select_related("by", "incident"),
        "issue_form": forms.get("issue_form") or IssueForm(),
        "affix_form": forms.get("affix_form") or AffixForm(),
        "check_form": forms.get("check_form") or CheckForm(),
        "void_form": forms.get("void_form") or VoidForm(),
        "can_edit": _may(request, seal.company, "edit"),
        "can_manage": _may(request, seal.company, "manage"),
    }
    status = 400 if forms else 200
    return render(request, "seals/seal_detail.html", context, status=status)


def _verb(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str, form_name: str
) -> tuple[Seal, Any, HttpResponse | None]:
    seal = get_for_user_or_404(
        Seal.objects.select_related("company"), request.user, action, company_id=company_pk, pk=pk
    )
    forms = {
        "issue_form": IssueForm,
        "affix_form": AffixForm,
        "check_form": CheckForm,
        "void_form": VoidForm,
    }
    form = forms[form_name](request.POST)
    if not form.is_valid():
        return seal, form, _detail(request, seal, **{form_name: form})
    return seal, form, None


def _run(
    request: AuthenticatedHttpRequest, seal: Seal, form: Any, form_name: str, run: Any
) -> HttpResponse:
    if replayed := idempotency.replay(request):
        return replayed
    try:
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            result = run()
            idempotency.done(claimed, seal.get_absolute_url())
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _detail(request, seal, **{form_name: form})
    incident = getattr(result, "incident", None)
    if incident is not None:
        messages.warning(
            request,
            _("Discrepancy recorded; incident opened. Notify CBP before the border."),
        )
        return redirect(incident)
    messages.success(request, _("Seal log updated."))
    if warning := getattr(result, "training_warning", ""):
        messages.warning(request, warning)
    return redirect(seal)


@login_required
@require_POST
def seal_issue(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    seal, form, error = _verb(request, company_pk, pk, "manage", "issue_form")
    if error:
        return error
    return _run(
        request,
        seal,
        form,
        "issue_form",
        lambda: workflow.issue(seal, to=form.cleaned_data["person_name"], by=request.user),
    )


@login_required
@require_POST
def seal_affix(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    seal, form, error = _verb(request, company_pk, pk, "edit", "affix_form")
    if error:
        return error
    d = form.cleaned_data
    return _run(
        request,
        seal,
        form,
        "affix_form",
        lambda: workflow.affix(
            seal, iit_number=d["iit_number"], vvtt=form.vvtt(), by=request.user, note=d["note"]
        ),
    )


@login_required
@require_POST
def seal_check(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    seal, form, error = _verb(request, company_pk, pk, "edit", "check_form")
    if error:
        return error
    d = form.cleaned_data
    return _run(
        request,
        seal,
        form,
        "check_form",
        lambda: workflow.check(
            seal,
            at_destination=d["at_destination"],
            observed_number=d["observed_number"],
            document_number=d["document_number"],
            vvtt=form.vvtt(),
            by=request.user,
            person_name=d["person_name"],
            note=d["note"],
        ),
    )


@login_required
@require_POST
def seal_void(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    seal, form, error = _verb(request, company_pk, pk, "manage", "void_form")
    if error:
        return error
    return _run(
        request,
        seal,
        form,
        "void_form",
        lambda: workflow.void(seal, reason=form.cleaned_data["reason"], by=request.user),
    )


@login_required
def seal_audit(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = AuditForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            audit = workflow.audit(
                company, counted=form.numbers(), by=request.user, note=form.cleaned_data["note"]
            )
            url = reverse("seals:seal-audit", args=[company.pk])
            idempotency.done(claimed, url)
        if audit.reconciled:
            messages.success(request, _("Audit recorded: the count matches the seal log."))
        else:
            messages.warning(request, _("Audit recorded with differences; see below."))
        return redirect(url)
    audits = list(SealAudit.objects.filter(company=company).select_related("by")[:20])
    latest = audits[0] if audits else None
    return render(
        request,
        "seals/seal_audit.html",
        {
            "company": company,
            "form": form,
            "audits": audits,
            "latest": latest,
            # Only the latest audit's surprises are explained: older ones may have been
            # resolved since, and the log today would not say what it said then.
            "unexpected": workflow.where_the_log_has(company, latest.unexpected[:200])
            if latest and latest.unexpected
            else {},
            "issued": workflow.issued_not_affixed(company),
        },
    )
