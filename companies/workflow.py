"""Creating a company with its first member, and the membership verbs: invite a person by
e-mail, accept, revoke, resend, change a role.

People join an existing company only by accepting an invitation sent to their e-mail
address: the link's secret (256 bits, only its SHA-256 stored) proves they read that
mailbox, and only a signed-in account with the same address (case-insensitive) may
accept. Nothing here tells the inviting manager whether the address already has an
account on the installation: inviting a stranger and inviting an existing user give the
same answer and the same e-mail.

Each verb checks, then does, inside one transaction; a refusal is a `MembershipRefused`
with a `code` for API clients and the HTTP status the API answers with. The members page
and the API call these functions and only translate the refusal.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.tokens import revoke_for_user
from accounts.verification import mark_verified
from companies.choices import Role
from companies.models import Company, Invitation, Membership, hash_invitation_token
from core.refusals import Refused

if TYPE_CHECKING:
    from accounts.models import User

# A link secret is 43 characters; anything much longer is not one of ours and is not hashed.
_MAX_TOKEN_LENGTH = 100


class MembershipRefused(Refused):
    """A membership step was refused. The message says why and what to do; `code` names
    the reason for API clients; `status` is the API's answer (409 when the invitation's or
    the company's state forbids it, 400 when the request itself is wrong)."""

    code = "membership_refused"


class InvitationNotFound(MembershipRefused):
    """The answer for an unknown or tampered link (and the base of the closed ones)."""

    code = "not_found"
    status = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Not found."))


class InvitationClosed(InvitationNotFound):
    """A real link that no longer opens anything: expired, used or revoked. The holder of
    the link read the invited mailbox, so it is told which, and what to do; the company
    is not named."""

    status = 410

    def __init__(self, invitation: Invitation, now: datetime.datetime) -> None:
        if invitation.accepted_at is not None:
            self.code = "used"
            message = _(
                "This invitation link was already used on %(date)s; it works once. "
                "Sign in with the address the invitation was sent to."
            ) % {"date": f"{invitation.accepted_at:%Y-%m-%d}"}
        elif invitation.revoked_at is not None:
            self.code = "revoked"
            message = _(
                "This invitation was withdrawn. Ask the person who invited you for a new one."
            )
        else:
            self.code = "expired"
            message = _(
                "This invitation link expired on %(date)s. Ask the person who invited you "
                "to send it again."
            ) % {"date": f"{invitation.expires_at:%Y-%m-%d}"}
        super().__init__(message)


def create_company(company: Company, *, by: User, role: str) -> Company:
    """Save a new company (checked by the caller's form or serializer) and make its creator
    its first member with `role`, in one transaction: the page and `POST /api/v1/companies/`
    both come here, so a company never exists without the person who created it."""
    with transaction.atomic():
        company.save()
        Membership.objects.create(company=company, user=by, role=role)
    return company


def normalise_email(email: str) -> str:
    return email.strip().lower()


def invitation_path(token: str) -> str:
    return reverse("companies:invitation-accept", args=[token])


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _valid_until(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.CTPAT_INVITATION_DAYS)


def _check_manager(company: Company, by: User) -> None:
    if not Company.objects.for_user(by, "manage").filter(pk=company.pk).exists():
        # Same answer as for a company that does not exist: 404 through the API.
        raise MembershipRefused(
            _("Only the company's officer or administrators manage its people."),
            code="not_found",
            status=404,
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise MembershipRefused(
            _("role: choose one of %(roles)s.") % {"roles": ", ".join(Role.values)},
            code="invalid_role",
            status=400,
        )


def invite(
    company: Company,
    email: str,
    role: str,
    *,
    by: User,
    now: datetime.datetime | None = None,
    site: str = "",
) -> Invitation:
    """Invite `email` to join `company` with `role` and e-mail the link once the
    transaction commits. Refused when the address is already a member of this company or
    already has a pending invitation to it (resend that one instead). Whether the address
    has an account elsewhere on the installation changes nothing, here or in the e-mail."""
    now = _now(now)
    email = normalise_email(email)
    _check_role(role)
    with transaction.atomic():
        _check_manager(company, by)
        # One invitation step per company at a time, so two managers inviting the same
        # address at the same moment cannot send two live links.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        # A member of this very company is already on the manager's people page.
        if company.memberships.filter(user__email__iexact=email).exists():
            raise MembershipRefused(
                _("%(email)s is already a member of this company; change their role in the list.")
                % {"email": email},
                code="already_member",
            )
        if company.invitations.pending(now).filter(email=email).exists():
            raise MembershipRefused(
                _("%(email)s already has a pending invitation; resend it from the list.")
                % {"email": email},
                code="already_invited",
            )
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            company=company,
            email=email,
            role=role,
            invited_by=by,
            token_hash=hash_invitation_token(token),
            sent_at=now,
            expires_at=_valid_until(now),
        )
        _email_link(invitation, token, site=site)
    return invitation


def resend(
    invitation: Invitation,
    *,
    by: User,
    now: datetime.datetime | None = None,
    site: str = "",
) -> Invitation:
    """Send a pending or expired invitation again with a new link valid for a fresh
    period; the old link stops working at once."""
    now = _now(now)
    with transaction.atomic():
        _check_manager(invitation.company, by)
        fresh = (
            Invitation.objects.select_for_update().select_related("company").get(pk=invitation.pk)
        )
        if fresh.accepted_at is not None:
            raise MembershipRefused(
                _("This invitation was already accepted."), code="already_accepted"
            )
        if fresh.revoked_at is not None:
            raise MembershipRefused(
                _("This invitation was revoked; invite the person again."), code="revoked"
            )
        others = fresh.company.invitations.pending(now).filter(email=fresh.email)
        if others.exclude(pk=fresh.pk).exists():
            raise MembershipRefused(
                _("%(email)s already has a pending invitation; resend it from the list.")
                % {"email": fresh.email},
                code="already_invited",
            )
        token = secrets.token_urlsafe(32)
        fresh.token_hash = hash_invitation_token(token)
        fresh.sent_at = now
        fresh.expires_at = _valid_until(now)
        fresh.save(update_fields=["token_hash", "sent_at", "expires_at", "updated_at"])
        _email_link(fresh, token, site=site)
    return fresh


def revoke(invitation: Invitation, *, by: User, now: datetime.datetime | None = None) -> Invitation:
    """Revoke an invitation not yet accepted: its link answers 404 from now on. Revoking
    twice is harmless."""
    now = _now(now)
    with transaction.atomic():
        _check_manager(invitation.company, by)
        fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if fresh.accepted_at is not None:
            raise MembershipRefused(
                _("This invitation was already accepted; remove the member instead."),
                code="already_accepted",
            )
        if fresh.revoked_at is None:
            fresh.revoked_at = now
            fresh.save(update_fields=["revoked_at", "updated_at"])
    return fresh


def pending_by_token(token: str, now: datetime.datetime | None = None) -> Invitation | None:
    """The invitation a link opens, or None for an unknown, tampered, expired, revoked or
    already accepted link (callers answer all of them with the same 404)."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    found = (
        Invitation.objects.select_related("company", "invited_by")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )
    if found is None or not found.is_pending(_now(now)):
        return None
    return found


def check_recipient(invitation: Invitation, user: User) -> None:
    """Refuse a signed-in account whose e-mail is not the invited address, without saying
    which address or which company the invitation is for."""
    if normalise_email(user.email) != invitation.email:
        raise MembershipRefused(
            _(
                "This invitation was sent to another e-mail address. Sign out, then sign "
                "in (or create an account) with the address that received it."
            ),
            code="wrong_account",
            status=400,
        )


def accept(token: str, *, by: User, now: datetime.datetime | None = None) -> Membership:
    """Make `by` a member of the invitation's company with its role, and mark the
    invitation used, in one transaction.

    Idempotent: the same account accepting again (a double click, a retried request) gets
    the same membership. Someone already a member keeps the role they have; an
    invitation never demotes anyone. Unknown, tampered, expired, revoked or used links
    raise `InvitationNotFound`; another account gets a `wrong_account` refusal.
    """
    now = _now(now)
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise InvitationNotFound()
    with transaction.atomic():
        # The row lock makes two concurrent accepts of one link run one after the other.
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=hash_invitation_token(token))
            .first()
        )
        if invitation is None:
            raise InvitationNotFound()
        if invitation.accepted_at is not None and invitation.accepted_by_id == by.pk:
            existing = Membership.objects.filter(company_id=invitation.company_id, user=by).first()
            if existing is not None:
                return existing
        _check_open(invitation, now)
        check_recipient(invitation, by)
        return _join(invitation, by, now)


def _check_open(invitation: Invitation, now: datetime.datetime) -> None:
    if not invitation.is_pending(now):
        raise InvitationClosed(invitation, now)


def _join(invitation: Invitation, user: User, now: datetime.datetime) -> Membership:
    """Membership with the invited role, the invitation marked used, and the address marked
    confirmed: the link's secret reached that mailbox."""
    membership, _created = Membership.objects.get_or_create(
        company_id=invitation.company_id, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    mark_verified(user, invitation.email)
    return membership


def lookup(token: str, now: datetime.datetime | None = None) -> Invitation:
    """The pending invitation a link opens; `InvitationNotFound` for an unknown or tampered
    link, `InvitationClosed` (saying which) for an expired, used or revoked one."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise InvitationNotFound()
    found = (
        Invitation.objects.select_related("company", "invited_by")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )
    if found is None:
        raise InvitationNotFound()
    _check_open(found, _now(now))
    return found


def has_account(invitation: Invitation) -> bool:
    """Whether the invited address already has an account (asked only by the holder of the
    link, who reads that mailbox: it decides between "set a password" and "sign in")."""
    from accounts.models import User

    return User.objects.filter(email__iexact=invitation.email).exists()


def join_with_password(
    token: str, password: str, *, now: datetime.datetime | None = None
) -> Membership:
    """The invited person has no account: create it with `password` and the invited
    address, confirmed (the link proves the mailbox), and join the company with the
    invited role, in one step. Refused when the address has an account meanwhile (sign in
    and accept instead) or the password is too weak (the validators' messages)."""
    from accounts.models import User

    now = _now(now)
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise InvitationNotFound()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=hash_invitation_token(token))
            .first()
        )
        if invitation is None:
            raise InvitationNotFound()
        _check_open(invitation, now)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise MembershipRefused(
                _("An account with %(email)s exists already: sign in to accept.")
                % {"email": invitation.email},
                code="has_account",
            )
        user = User(email=invitation.email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise MembershipRefused(
                " ".join(exc.messages), code="invalid_password", status=400
            ) from None
        user.set_password(password)
        user.save()
        return _join(invitation, user, now)


def change_role(membership: Membership, role: str, *, by: User) -> Membership:
    """Give a member another role. A company that has a company officer keeps at least
    one (`Membership.check_keeps_an_officer`, a ValidationError on `role`)."""
    _check_role(role)
    with transaction.atomic():
        _check_manager(membership.company, by)
        stored = Membership.objects.select_for_update().get(pk=membership.pk)
        stored.check_keeps_an_officer(role)
        stored.role = role
        stored.save(update_fields=["role", "updated_at"])
    return stored


def remove_member(membership: Membership, *, by: User) -> None:
    """Take a person out of a company. The last company officer stays (a ValidationError,
    as for a role change); the person's API tokens are revoked, since a token may reach
    every company its owner belonged to."""
    with transaction.atomic():
        _check_manager(membership.company, by)
        membership.check_keeps_an_officer(None)
        membership.delete()
        revoke_for_user(membership.user, f"left company {membership.company_id}")


def _email_link(invitation: Invitation, token: str, *, site: str = "") -> None:
    """E-mail the link after commit, in the company's preferred language. The text is the
    same whether or not the address has an account: it offers both ways in."""
    company = invitation.company
    inviter = invitation.invited_by
    with override(company.language):
        facts = {
            "company": company.legal_name,
            "site": settings.SITE_NAME,
            "inviter": inviter.email if inviter else settings.SITE_NAME,
            "role": Role(invitation.role).label,
            "email": invitation.email,
            "url": (site or settings.CTPAT_SITE_URL) + invitation_path(token),
            "expires": f"{invitation.expires_at:%Y-%m-%d}",
        }
        subject = _("Invitation to join %(company)s on %(site)s") % facts
        body = (
            _(
                "Hello,\n\n%(inviter)s invites you to join %(company)s on %(site)s, the "
                "CTPAT portal, with the role %(role)s.\n\n"
                "Open this link to accept: %(url)s\n\n"
                "New to the portal? The link lets you choose a password for %(email)s and "
                "confirms the address at once. If you already have an account with that "
                "address, sign in instead. The link is valid until %(expires)s and works "
                "once. If you did not expect this invitation, ignore this e-mail."
            )
            % facts
        )
    recipient = invitation.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))
