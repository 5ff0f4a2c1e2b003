"""Pages for partners' program statuses: the arrangements list, recording a status with
its proof, verifying and revoking it, and linking a partner to an OpenCTPAT member found
through status verification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification.choices import State
from companies.models import Company
from core import files, idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.refusals import Refused
from core.tenancy import get_for_user_or_404
from partners.models import BusinessPartner
from recognition import workflow
from recognition.arrangements import load_arrangements
from recognition.forms import (
    MemberLinkForm,
    MemberSearchForm,
    PartnerStatusForm,
    ProofForm,
    RevokeForm,
)
from recognition.models import PartnerStatus, StatusProof
from verification import workflow as verification


def _partner(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int, action: str
) -> BusinessPartner:
    return get_for_user_or_404(
        BusinessPartner, request.user, action, pk=partner_pk, company_id=company_pk
    )


def _status(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str
) -> PartnerStatus:
    return get_for_user_or_404(
        PartnerStatus.objects.select_related("partner"),
        request.user,
        action,
        pk=pk,
        partner__company_id=company_pk,
    )


def _errors(form: Any) -> str:
    return "; ".join(
        f"{form.fields[f].label}: {' '.join(str(m) for m in e)}"
        if f in form.fields
        else " ".join(e)
        for f, e in form.errors.items()
    )


@login_required
def arrangement_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    data = load_arrangements()
    return render(
        request,
        "recognition/arrangement_list.html",
        {
            "company": company,
            "version": data.version,
            "arrangements": sorted(data.arrangements, key=lambda a: (a.signed, a.id)),
        },
    )


@login_required
def status_create(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int
) -> HttpResponse:
    partner = _partner(request, company_pk, partner_pk, "edit")
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = PartnerStatusForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=PartnerStatus(partner=partner),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            workflow.record_status(
                form.save(commit=False), upload=form.cleaned_data["proof"], by=request.user
            )
            idempotency.done(claimed, partner.get_absolute_url())
        messages.success(request, _("Program status recorded."))
        return redirect(partner)
    return render(
        request,
        "recognition/status_form.html",
        {"company": partner.company, "partner": partner, "form": form},
    )


@login_required
def proof_download(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponseBase:
    return files.serve_for_user(
        request, StatusProof, "file", pk=pk, status__partner__company_id=company_pk
    )


@login_required
@require_POST
def proof_upload(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    item = _status(request, company_pk, pk, "edit")
    form = ProofForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(item.partner)
    proof = workflow.add_proof(item, upload=form.cleaned_data["proof"], by=request.user)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": proof.original_name})
    return redirect(item.partner)


@login_required
@require_POST
def status_verify(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    """Record that someone checked the proof (with the issuing customs administration)."""
    item = _status(request, company_pk, pk, "edit")
    try:
        workflow.verify_status(item, by=request.user)
    except Refused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Status marked as verified."))
    return redirect(item.partner)


@login_required
@require_POST
def status_revoke(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    item = _status(request, company_pk, pk, "edit")
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(item.partner)
    try:
        workflow.revoke_status(
            item,
            revoked_on=form.cleaned_data["revoked_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except Refused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Status recorded as revoked."))
    return redirect(item.partner)


@login_required
def member_link(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int
) -> HttpResponse:
    """Find a participating OpenCTPAT member (only consenting members can be found) and
    link the partner to it."""
    partner = _partner(request, company_pk, partner_pk, "edit")
    company = partner.company
    if request.method == "POST":
        form = MemberLinkForm(request.POST)
        member = None
        if form.is_valid():
            member = (
                verification.findable()
                .exclude(pk=company.pk)
                .filter(pk=form.cleaned_data["member"])
                .first()
            )
        if member is None:
            # The same answer for a company that does not exist and one that did not
            # consent: nothing is revealed about members who cannot be found.
            messages.error(request, _("No participating member with that id."))
        else:
            workflow.link_member(partner, member, by=request.user)
            messages.success(
                request,
                _("%(partner)s linked to the member %(member)s.")
                % {"partner": partner.name, "member": member.legal_name},
            )
            return redirect(partner)
    search = MemberSearchForm(request.GET or None)
    results = verification.search(company, search.cleaned_data["q"]) if search.is_valid() else []
    return render(
        request,
        "recognition/member_link.html",
        {
            "company": company,
            "partner": partner,
            "search": search,
            "results": [
                (m.pk, card, State(card.status).label)
                for m in results
                for card in [verification.StatusCard.of(m)]
            ],
        },
    )


@login_required
@require_POST
def member_unlink(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int
) -> HttpResponse:
    partner = _partner(request, company_pk, partner_pk, "edit")
    workflow.unlink_member(partner)
    messages.success(request, _("Member link removed."))
    return redirect(partner)
