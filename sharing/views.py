"""Profile-sharing pages: the company's sharing page (find a member, request a summary,
decide incoming requests, shares given and received), a given share with its trail, and
the received summary as a page and as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.models import Company
from core import idempotency
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.pdf import pdf_response
from core.tenancy import get_for_user_or_404
from partners.models import BusinessPartner
from sharing import forms as f
from sharing import workflow
from sharing.filters import SIDE, ShareFilter
from sharing.models import Part, Share, ShareView
from sharing.workflow import SharingRefused
from verification.workflow import search

PER_PAGE = 25


def _home(company: Company) -> str:
    return reverse("sharing:share-list", args=[company.pk])


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _may(user: Any, company: Company, action: str) -> bool:
    return Company.objects.for_user(user, action).filter(pk=company.pk).exists()


SHARES = ListSpec(
    ShareFilter,
    [
        col("requester", _l("Customer"), "requester__legal_name"),
        col("sharer", _l("Sharer"), "sharer__legal_name"),
        col("business_partner", _l("Our partner record"), sortable=False),
        col("created_at", _l("Requested")),
        col("status", _l("Status")),
        col("expires_on", _l("Shared until")),
        col("open", "", sortable=False),
    ],
    default_sort=("-created_at",),
    csv=[
        ("customer", "requester.legal_name"),
        ("sharer", "sharer.legal_name"),
        ("our_partner_record", "business_partner.name"),
        "created_at",
        ("status", "shown_status"),
        "parts",
        "expires_on",
        "decided_at",
        "revoked_at",
    ],
    empty_text=_l("None yet."),
    per_page=PER_PAGE,
    hide=("company", "requester", "sharer"),  # the address fixes our side
)


@login_required
def share_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    # `?partner=<id>` starts from one of our partner records: its name is searched and the
    # request is linked to it.
    record_pk = _int(request.GET.get("partner"))
    record = (
        BusinessPartner.objects.filter(company=company, pk=record_pk).first() if record_pk else None
    )
    query = request.GET.get("q", record.name if record else "")
    shares = (
        Share.objects.for_user(request.user, "view")
        .filter(Q(requester=company) | Q(sharer=company))
        .annotate(
            **{SIDE: Case(When(sharer=company, then=Value("given")), default=Value("received"))}
        )
        .select_related("requester", "sharer", "business_partner")
    )
    context: dict[str, Any] = {
        "company": company,
        "query": query,
        "results": search(company, query),
        "request_form": f.RequestForm(
            company=company, initial={"business_partner": record.pk if record else None}
        ),
        "can_request": _may(request.user, company, "edit"),
        "can_manage": _may(request.user, company, "manage"),
    }
    return render_list(
        request,
        SHARES,
        shares,
        "sharing/share_list.html",
        context,
        filename=f"shares-{company.pk}.csv",
    )


@login_required
@require_POST
def share_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    form = f.RequestForm(request.POST, company=company)
    if not form.is_valid():
        messages.error(request, _("partner: choose a member from the search results."))
        return redirect(_home(company))
    try:
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            workflow.request_share(
                company,
                form.cleaned_data["sharer"],
                by=request.user,
                business_partner=form.cleaned_data["business_partner"],
                message=form.cleaned_data["message"],
            )
            idempotency.done(claimed, _home(company))
    except SharingRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Request sent."))
    return redirect(_home(company))


@dataclass(frozen=True)
class Event:
    at: datetime
    who: str
    what: str


def trail(share: Share) -> list[Event]:
    """What happened to a share, newest first: request, decision, revocation, expiry and
    every view of the summary."""
    events = [Event(share.created_at, share.requested_by.email, _("Requested"))]
    if share.decided_at is not None:
        who = share.decided_by.email if share.decided_by else ""
        if share.status == Share.Status.REJECTED:
            events.append(Event(share.decided_at, who, _("Rejected")))
        else:
            what = _("Shared: %(parts)s") % {"parts": "; ".join(share.part_labels())}
            if share.expires_on:
                what += " " + _("(until %(date)s)") % {"date": share.expires_on.isoformat()}
            events.append(Event(share.decided_at, who, what))
    if share.revoked_at is not None:
        who = share.revoked_by.email if share.revoked_by else ""
        events.append(Event(share.revoked_at, who, _("Revoked")))
    for view in share.views.select_related("viewer"):
        label = _("Viewed the summary (%(how)s)") % {"how": view.get_channel_display()}
        events.append(Event(view.created_at, view.viewer.email, label))
    return sorted(events, key=lambda e: e.at, reverse=True)


@login_required
def share_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """A share this company gives (or was asked for), with its trail."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    share = get_object_or_404(
        Share.objects.select_related("requester", "requested_by", "decided_by", "revoked_by"),
        sharer=company,
        pk=pk,
    )
    context = {
        "company": company,
        "share": share,
        "trail": trail(share),
        "decision_form": f.DecisionForm(),
        "can_manage": _may(request.user, company, "manage"),
    }
    return render(request, "sharing/share_detail.html", context)


@login_required
@require_POST
def share_decide(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    share = get_object_or_404(Share, sharer=company, pk=pk)
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
        return redirect(share)
    try:
        with transaction.atomic():
            if form.cleaned_data["accept"]:
                workflow.accept(
                    share,
                    by=request.user,
                    parts=form.cleaned_data["parts"],
                    expires_on=form.cleaned_data["expires_on"],
                )
                messages.success(request, _("Summary shared."))
            else:
                workflow.reject(share, by=request.user)
                messages.success(request, _("Request rejected."))
    except SharingRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for name, problems in exc.message_dict.items():
            messages.error(request, f"{name}: {' '.join(problems)}")
    return redirect(share)


@login_required
@require_POST
def share_revoke(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    share = get_object_or_404(Share, sharer=company, pk=pk)
    try:
        with transaction.atomic():
            workflow.revoke(share, by=request.user)
    except SharingRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sharing revoked: the customer no longer sees the summary."))
    return redirect(share)


def received_share(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> Share:
    """An active share this company received, or 404 (revoked, expired, rejected,
    pending, or not this company's all look the same)."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    share = (
        Share.objects.active()
        .select_related("sharer__certification")
        .filter(requester=company, pk=pk)
        .first()
    )
    if share is None:
        raise Http404
    return share


def _summary_context(share: Share) -> dict[str, Any]:
    data = workflow.summary(share)
    return {
        "share": share,
        "summary": data,
        "part_labels": dict(Part.choices),
        "generated": timezone.localtime(),
    }


@login_required
def summary_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    share = received_share(request, company_pk, pk)
    workflow.record_view(share, by=request.user, channel=ShareView.Channel.PAGE)
    context = _summary_context(share)
    context["company"] = share.requester
    return render(request, "sharing/summary_detail.html", context)


@login_required
def summary_pdf(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    share = received_share(request, company_pk, pk)
    workflow.record_view(share, by=request.user, channel=ShareView.Channel.PDF)
    # Named by the share, not the sharer: its account number is not part of any scope.
    name = f"profile-summary-{share.pk}-{timezone.localdate():%Y%m%d}.pdf"
    return pdf_response("sharing/summary_pdf.html", _summary_context(share), request, name)
