"""Company pages: list and switcher, create, overview, edit, people, the audit trail,
and the company's addresses, contacts, identifiers and programs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from accounts.mfa import has_totp
from accounts.verification import sign_in_new_account
from companies import forms as company_forms
from companies import workflow
from companies.choices import Role
from companies.context_processors import remember_company
from companies.filters import AuditLogFilter, CompanyFilter
from companies.models import Address, Company, Contact, Identifier, Membership, ProgramParticipation
from core import idempotency, refusals
from core.documents import resolve_related_records
from core.http import AuthenticatedHttpRequest
from core.lists import Listing, ListSpec, col, list_page
from core.refusals import Refused
from core.siteurl import site_url
from core.tenancy import get_for_user_or_404


def _posted(request: HttpRequest) -> Any:
    """The submitted data, or None on GET; an empty POST still binds the form, so its
    required fields are reported instead of the page silently showing again."""
    return request.POST if request.method == "POST" else None


# The program office's list of every company (members see only their own, above it).
EVERY_COMPANY = ListSpec(
    CompanyFilter,
    [
        col("account", gettext_lazy("Account"), "pk"),
        col("legal_name", gettext_lazy("Company")),
        col("business_type", gettext_lazy("Business type")),
        col("country", gettext_lazy("Country")),
        col("created_at", gettext_lazy("Registered")),
    ],
    default_sort=("legal_name",),
    csv=[
        "account_number",
        "legal_name",
        "dba",
        "business_type",
        ("country", "country.code"),
        "created_at",
    ],
    hide=(),
)


@login_required
def company_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    memberships = Membership.objects.filter(user=request.user).select_related("company")
    context: dict[str, Any] = {"memberships": memberships}
    if request.user.is_program_office:
        listing = list_page(
            request, EVERY_COMPANY, Company.objects.for_user(request.user), filename="companies.csv"
        )
        if not isinstance(listing, Listing):
            return listing  # the CSV of the filtered rows
        context["listing"] = listing
    return render(request, "companies/company_list.html", context)


@login_required
def company_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = company_forms.CompanyCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            company = workflow.create_company(
                form.save(commit=False), by=request.user, role=form.cleaned_data["my_role"]
            )
            idempotency.done(claimed, company.get_absolute_url())
        messages.success(request, _("Company created. Next: check your eligibility."))
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "creating": True})


@login_required
def company_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=pk)
    remember_company(request, company)
    context = {
        "company": company,
        "role": Role(role).label if (role := company.role_of(request.user)) else None,
        "eligibility": company.latest_eligibility_check(),
        "application": company.current_application(),
        "counts": {
            "addresses": company.addresses.count(),
            "contacts": company.contacts.count(),
            "identifiers": company.identifiers.count(),
        },
    }
    return render(request, "companies/company_detail.html", context)


@login_required
def company_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=pk)
    form = company_forms.CompanyForm(_posted(request), instance=company)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Company details saved."))
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "company": company})


@login_required
def member_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The company's people and pending invitations; the form invites a person by e-mail.
    The confirmation is the same whether or not the address has an account anywhere."""
    company = get_for_user_or_404(Company, request.user, "manage", pk=pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = company_forms.InvitationForm(_posted(request))
    url = reverse("companies:member-list", args=[company.pk])
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                invitation = workflow.invite(
                    company,
                    form.cleaned_data["email"],
                    form.cleaned_data["role"],
                    by=request.user,
                    site=site_url(request),
                )
                idempotency.done(claimed, url)
        except workflow.MembershipRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. They join when they accept it.")
                % {"email": invitation.email},
            )
            return redirect(url)
    return render(
        request,
        "companies/member_list.html",
        {
            "company": company,
            "members": company.memberships.select_related("user"),
            "invitations": company.invitations.pending().select_related("invited_by"),
            "form": form,
            "roles": Role.choices,
        },
    )


@login_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=pk)
    membership = get_object_or_404(company.memberships, pk=membership_pk)
    form = company_forms.RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("role", [])))
    else:
        try:
            workflow.change_role(membership, form.cleaned_data["role"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except Refused as refusal:
            refusals.show(request, refusal)
        else:
            messages.success(request, _("Role changed."))
    return redirect("companies:member-list", pk=company.pk)


def _invitation_step(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int, step: str
) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=pk)
    invitation = get_object_or_404(company.invitations, pk=invitation_pk)
    try:
        if step == "resend":
            workflow.resend(invitation, by=request.user, site=site_url(request))
            messages.success(
                request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
            )
        else:
            workflow.revoke(invitation, by=request.user)
            messages.success(request, _("Invitation revoked: its link no longer works."))
    except workflow.MembershipRefused as exc:
        messages.error(request, exc.message)
    return redirect("companies:member-list", pk=company.pk)


@login_required
@require_POST
def invitation_resend(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    return _invitation_step(request, pk, invitation_pk, "resend")


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    return _invitation_step(request, pk, invitation_pk, "revoke")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail.

    A visitor without an account chooses a password here: the account is created with the
    invited address, confirmed (the link proves the mailbox), joins the company and is
    signed in, in one step; an officer then goes on to set up two-factor authentication.
    A visitor whose address has an account is asked to sign in (and comes back here). A
    signed-in account confirms with a POST; any other account is refused without learning
    the company or the invited address. An unknown link answers 404; an expired, used or
    revoked one says which (410)."""
    if not request.user.is_authenticated:
        return _invitation_join(request, token)
    user: Any = request.user
    if request.method == "POST":
        try:
            membership = workflow.accept(token, by=user)
        except workflow.InvitationClosed as exc:
            return _invitation_closed(request, exc)
        except workflow.InvitationNotFound:
            raise Http404 from None
        except workflow.MembershipRefused as exc:
            return render(request, "companies/invitation_accept.html", {"refusal": exc.message})
        return _welcome(request, membership)
    try:
        invitation = workflow.lookup(token)
    except workflow.InvitationClosed as exc:
        return _invitation_closed(request, exc)
    except workflow.InvitationNotFound:
        raise Http404 from None
    try:
        workflow.check_recipient(invitation, user)
    except workflow.MembershipRefused as exc:
        return render(request, "companies/invitation_accept.html", {"refusal": exc.message})
    return render(request, "companies/invitation_accept.html", {"invitation": invitation})


def _invitation_closed(request: HttpRequest, refusal: workflow.InvitationClosed) -> HttpResponse:
    return render(
        request,
        "companies/invitation_accept.html",
        {"closed": refusal.message, "code": refusal.code},
        status=refusal.status,
    )


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    """After joining: an officer (or anyone who must use a second factor) is led to set it
    up, then lands on the company; everyone else lands on the company at once."""
    company = membership.company
    messages.success(request, _("Welcome to %(company)s.") % {"company": company.legal_name})
    user: Any = request.user
    if user.requires_mfa() and not has_totp(user):
        setup = reverse("mfa_activate_totp")
        query = urlencode({"required": "1", "next": company.get_absolute_url()})
        return redirect(f"{setup}?{query}")
    return redirect(company)


def _invitation_join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = workflow.lookup(token)
    except workflow.InvitationClosed as exc:
        return _invitation_closed(request, exc)
    except workflow.InvitationNotFound:
        raise Http404 from None
    context: dict[str, Any] = {"invitation": invitation}
    if workflow.has_account(invitation):
        login_url = reverse("account_login")
        context["sign_in"] = f"{login_url}?{urlencode({'next': request.path})}"
        return render(request, "companies/invitation_accept.html", context)
    form = company_forms.JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = workflow.join_with_password(token, form.cleaned_data["password1"])
        except workflow.InvitationClosed as exc:
            return _invitation_closed(request, exc)
        except workflow.InvitationNotFound:
            raise Http404 from None
        except workflow.MembershipRefused as exc:
            form.add_error("password1" if exc.code == "invalid_password" else None, exc.message)
        else:
            sign_in_new_account(request, membership.user)
            return _welcome(request, membership)
    context["form"] = form
    return render(
        request,
        "companies/invitation_accept.html",
        context,
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "manage", pk=pk)
    membership = get_object_or_404(company.memberships, pk=membership_pk)
    try:
        workflow.remove_member(membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("companies:member-list", pk=company.pk)


AUDIT_TRAIL = ListSpec(
    AuditLogFilter,
    [
        col("timestamp", gettext_lazy("When")),
        col("actor", gettext_lazy("Who"), "actor__email"),
        col("action", gettext_lazy("Action")),
        col("record", gettext_lazy("Record"), "object_repr"),
        col("changes", gettext_lazy("Changes"), sortable=False),
    ],
    default_sort=("-timestamp", "-pk"),
    csv=[
        "timestamp",
        ("who", "actor.email"),
        "action",
        ("record_type", "content_type.model"),
        ("record", "object_repr"),
        "changes",
    ],
    empty_text=gettext_lazy("Nothing recorded yet."),
    count=False,  # the trail only grows: older / newer links, never a COUNT
    hide=(),
)


@login_required
def audit_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "manage", pk=pk)
    entries = LogEntry.objects.filter(additional_data__company_id=company.pk).select_related(
        "actor", "content_type"
    )
    listing = list_page(request, AUDIT_TRAIL, entries, filename=f"audit-trail-{company.pk}.csv")
    if not isinstance(listing, Listing):
        return listing  # the CSV
    # The people and records the page's changes name, in one query for all of them.
    resolve_related_records(listing.page.rows)  # type: ignore[union-attr]
    return render(request, "companies/audit_log.html", {"company": company, "listing": listing})


@dataclass(frozen=True)
class Part:
    """One kind of record that describes a company and is edited the same way."""

    model: type[models.Model]
    form: type[forms.ModelForm]  # type: ignore[type-arg]
    title: StrOrPromise
    takes_company: bool = False


PARTS: dict[str, Part] = {
    "address": Part(Address, company_forms.AddressForm, gettext_lazy("Addresses")),
    "contact": Part(Contact, company_forms.ContactForm, gettext_lazy("Key contacts")),
    "identifier": Part(Identifier, company_forms.IdentifierForm, gettext_lazy("Identifiers"), True),
    "program": Part(
        ProgramParticipation, company_forms.ProgramForm, gettext_lazy("International programs")
    ),
}


def _part_form(part: Part, company: Company, data: Any, instance: Any = None) -> Any:
    kwargs: dict[str, Any] = {"instance": instance}
    if part.takes_company:
        kwargs["company"] = company
    form = part.form(data, **kwargs)
    form.instance.company = company
    return form


@login_required
def part_list(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """List a company's records of one kind, with the form to add one."""
    part = PARTS[kind]
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = _part_form(part, company, _posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            form.save()
            url = reverse(f"companies:{kind}-list", args=[company.pk])
            idempotency.done(claimed, url)
        messages.success(request, _("Saved."))
        return redirect(url)
    objects = part.model._default_manager.filter(company=company)
    return render(
        request,
        "companies/part_list.html",
        {
            "company": company,
            "kind": kind,
            "title": part.title,
            "objects": objects,
            "form": form,
        },
    )


@login_required
def part_edit(request: AuthenticatedHttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    part = PARTS[kind]
    obj = get_for_user_or_404(part.model, request.user, "edit", pk=obj_pk, company_id=pk)
    company = obj.company  # type: ignore[attr-defined]
    form = _part_form(part, company, _posted(request), instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(f"companies:{kind}-list", pk=company.pk)
    return render(
        request,
        "companies/part_edit.html",
        {"company": company, "kind": kind, "title": part.title, "form": form, "object": obj},
    )


@login_required
@require_POST
def part_delete(request: AuthenticatedHttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    part = PARTS[kind]
    obj = get_for_user_or_404(part.model, request.user, "edit", pk=obj_pk, company_id=pk)
    obj.delete()
    messages.success(request, _("Deleted."))
    return redirect(f"companies:{kind}-list", pk=pk)
