"""Planning, recording, completing a supplier site audit, and the partner's replies.

The pages, the partner's link page and the API call these functions; each checks, then
writes inside one transaction, and refuses with the `core.refusals` family.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from actions.choices import ActionStatus
from actions.models import CorrectiveAction, CorrectiveActionQuerySet
from companies.models import Membership
from core.refusals import Invalid, NotAllowed
from core.uploads import IMAGE_KINDS, CheckedFile, attach, store_file
from notices.workflow import notify, recipients
from siteaudits import checklists
from siteaudits.choices import AuditStatus, ChecklistSource, ItemResult, Severity
from siteaudits.models import AuditItem, ItemPhoto, PartnerReply, SiteAudit

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

# Days the partner gets to correct an item not met, by severity (our choice: CBP sets no
# figure for a member's own audits of its partners).
DUE_DAYS = {Severity.CRITICAL: 30, Severity.MAJOR: 60, Severity.MINOR: 90}


class AuditCompleted(NotAllowed):
    """The audit is completed; its results no longer change."""

    code = "site_audit_completed"

    def __init__(self, audit: SiteAudit) -> None:
        super().__init__(
            _("The audit of %(partner)s is completed; its results can no longer change.")
            % {"partner": audit.partner.name}
        )


class ItemIncomplete(Invalid):
    code = "site_audit_item_incomplete"


class ItemsUnchecked(Invalid):
    code = "site_audit_items_unchecked"


class NoLink(NotAllowed):
    code = "site_audit_no_link"


def hash_token(token: str) -> str:
    """The form a link token is stored in: the link itself is never kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_path(token: str) -> str:
    return reverse("siteaudit-links:reply", args=[token])


def plan_audit(audit: SiteAudit, *, by: User) -> SiteAudit:
    """Save a new audit (company, partner, date, auditor, checklist choice set by the form
    or serializer) with its checklist frozen: the MSC criteria of the partner's business
    type, or the member's own checklist. Refused (`NoChecklist`) when there is none."""
    partner = audit.partner
    if partner.company_id != audit.company_id:
        raise Invalid(_("Choose one of your own business partners."), code="site_audit_partner")
    if not Membership.objects.filter(
        company_id=audit.company_id, user_id=audit.auditor_id
    ).exists():
        raise Invalid(_("The auditor must be a member of the company."), code="site_audit_auditor")
    if audit.source == ChecklistSource.OWN:
        if audit.own_checklist is None or audit.own_checklist.company_id != audit.company_id:
            raise checklists.NoChecklist(_("Choose one of your own checklists."))
        lines = checklists.own_lines(audit.own_checklist)
        audit.business_type = checklists.business_type_for(partner.role)
    else:
        audit.catalogue, audit.business_type, lines = checklists.msc_lines(partner.role)
    if not lines:
        raise checklists.NoChecklist(_("The chosen checklist has no items."))
    audit.tier = partner.tier
    audit.status = AuditStatus.PLANNED
    with transaction.atomic():
        audit.save()
        AuditItem.objects.bulk_create(
            AuditItem(audit=audit, position=n, ref=line.ref, text=line.text, text_es=line.text_es)
            for n, line in enumerate(lines, start=1)
        )
    return audit


def record_item(item: AuditItem, *, result: str, severity: str, notes: str, by: User) -> AuditItem:
    """Save what the auditor found for one item. An item not met needs a severity and
    notes; the first result recorded puts the audit on site."""
    if result and result not in ItemResult.values:
        raise ItemIncomplete(_("Choose met, not met or not applicable."))
    if result == ItemResult.NOT_MET:
        if severity not in Severity.values:
            raise ItemIncomplete(_("Say how severe it is: an item not met needs a severity."))
        if not notes.strip():
            raise ItemIncomplete(_("Describe what was found: an item not met needs notes."))
    else:
        severity = ""
    with transaction.atomic():
        audit = SiteAudit.objects.select_for_update().get(pk=item.audit_id)
        if not audit.is_open:
            raise AuditCompleted(audit)
        locked = AuditItem.objects.select_for_update().get(pk=item.pk)
        locked.result, locked.severity, locked.notes = result, severity, notes.strip()
        locked.checked_by = by
        locked.save()
        if audit.status == AuditStatus.PLANNED and result:
            audit.status = AuditStatus.IN_PROGRESS
            audit.save(update_fields=["status", "updated_at"])
    return locked


def add_item_photo(item: AuditItem, *, upload: UploadedFile[bytes], by: User) -> ItemPhoto:
    """Attach a photo (PNG or JPEG) to one item of an open audit; refused once the audit is
    completed, checked under the audit's lock. The stored file is removed again if
    anything fails."""

    def write(stored: str, checked: CheckedFile) -> ItemPhoto:
        audit = SiteAudit.objects.select_for_update().get(pk=item.audit_id)
        if not audit.is_open:
            raise AuditCompleted(audit)
        photo = ItemPhoto(item=item)
        attach(photo, stored, checked, uploaded_by=by)
        photo.save()
        return photo

    folder = f"siteaudits/{item.audit.company_id}"
    return store_file(upload, folder, write, IMAGE_KINDS)


def complete_audit(
    audit: SiteAudit, *, by: User, summary: str = "", site: str = ""
) -> tuple[list[CorrectiveAction], str]:
    """Close the audit: one corrective action per item not met (due by severity), and a
    new link for the partner to answer them (e-mailed to its contact when there is one).
    Refused while an item has no result. Returns (actions, link token; "" when nothing is
    to be answered)."""
    with transaction.atomic():
        locked = SiteAudit.objects.select_for_update().select_related("partner").get(pk=audit.pk)
        if not locked.is_open:
            raise AuditCompleted(locked)
        unchecked = locked.items.filter(result="").count()
        if unchecked:
            raise ItemsUnchecked(
                _("%(n)d items have no result yet; record each one before completing.")
                % {"n": unchecked}
            )
        now = timezone.now()
        today = timezone.localdate(now)
        created = [
            CorrectiveAction.objects.create(
                company_id=locked.company_id,
                title=_("%(partner)s: %(item)s")
                % {"partner": locked.partner.name[:60], "item": item.text[:120]},
                description=_("%(severity)s finding in the site audit of %(day)s. %(notes)s")
                % {
                    "severity": item.get_severity_display(),
                    "day": locked.planned_on,
                    "notes": item.notes,
                },
                criterion_ref=item.ref,
                owner=locked.auditor,
                due_date=today + datetime.timedelta(days=DUE_DAYS[Severity(item.severity)]),
                source=item,
                created_by=by,
            )
            for item in locked.items.filter(result=ItemResult.NOT_MET)
        ]
        locked.status = AuditStatus.COMPLETED
        locked.completed_at = now
        locked.completed_by = by
        locked.summary = summary.strip() or locked.summary
        token = _new_token(locked) if created else ""
        locked.save()
        if token and locked.partner.contact_email:
            email_link(locked, token, site=site)
    return created, token


def _new_token(audit: SiteAudit) -> str:
    token = secrets.token_urlsafe(32)
    audit.token_hash = hash_token(token)
    audit.link_expires_at = timezone.now() + datetime.timedelta(
        days=settings.CTPAT_SITE_AUDIT_LINK_DAYS
    )
    return token


def new_link(audit: SiteAudit, *, by: User, site: str = "") -> str:
    """A fresh link for the partner (the old one stops working), e-mailed to its contact.
    Only a completed audit with corrective actions has one."""
    with transaction.atomic():
        locked = SiteAudit.objects.select_for_update().select_related("partner").get(pk=audit.pk)
        if locked.is_open or not actions_of(locked).exists():
            raise NoLink(_("Only a completed audit with corrective actions has a partner link."))
        token = _new_token(locked)
        locked.save(update_fields=["token_hash", "link_expires_at", "updated_at"])
        if locked.partner.contact_email:
            email_link(locked, token, site=site)
    return token


def email_link(audit: SiteAudit, token: str, *, site: str = "") -> None:
    """E-mail the link to the partner's contact after commit, in the report's language."""
    partner = audit.partner
    facts = {
        "company": audit.company.legal_name,
        "partner": partner.name,
        "url": (site or settings.CTPAT_SITE_URL) + link_path(token),
        "expires": f"{audit.link_expires_at:%Y-%m-%d}",
    }
    with override(audit.language):
        subject = _("Corrective actions after the site audit by %(company)s") % facts
        body = (
            _(
                "Hello,\n\n%(company)s visited %(partner)s and found points to correct. "
                "Please say what you did or will do about each one here, no account "
                "needed: %(url)s\n\nThe link is valid until %(expires)s. Please do not "
                "forward it outside your company."
            )
            % facts
        )
    recipient = partner.contact_email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


def by_token(token: str, now: datetime.datetime | None = None) -> SiteAudit | None:
    """The completed audit this link opens, or None (unknown, replaced or expired)."""
    if not token or len(token) > 100:
        return None
    audit = (
        SiteAudit.objects.select_related("company", "partner")
        .filter(token_hash=hash_token(token), status=AuditStatus.COMPLETED)
        .first()
    )
    if audit is None or audit.link_expires_at is None:
        return None
    return audit if audit.link_expires_at > (now or timezone.now()) else None


def actions_of(audit: SiteAudit) -> CorrectiveActionQuerySet:
    """The corrective actions this audit raised, in checklist order."""
    from django.contrib.contenttypes.models import ContentType

    return CorrectiveAction.objects.filter(
        source_type=ContentType.objects.get_for_model(AuditItem),
        source_id__in=audit.items.values("pk"),
    ).order_by("due_date", "pk")


def reply(
    audit: SiteAudit, action: CorrectiveAction, *, name: str, text: str,
    done_by: datetime.date | None = None,
) -> PartnerReply:  # fmt: skip
    """Record the partner's answer to one action; an open action moves to "in progress"
    (the member still closes it once satisfied)."""
    if not name.strip():
        raise Invalid(_("Enter your name so the member knows who answered."), code="reply_name")
    if not text.strip():
        raise Invalid(_("Say what you did or will do about this point."), code="reply_text")
    with transaction.atomic():
        locked = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if not actions_of(audit).filter(pk=locked.pk).exists():
            raise Invalid(_("This point is not part of the audit."), code="reply_action")
        if not locked.is_open:
            raise NotAllowed(
                _("The member closed this point; it takes no more answers."), code="reply_closed"
            )
        answer = PartnerReply.objects.create(
            audit=audit,
            action=locked,
            name=name.strip()[:200],
            text=text.strip(),
            done_by=done_by,
        )
        if locked.status == ActionStatus.OPEN:
            locked.status = ActionStatus.IN_PROGRESS
            locked.save(update_fields=["status", "completed_at", "updated_at"])
        people = recipients(audit.company)
        if audit.auditor not in people:
            people.append(audit.auditor)
        notify(
            "site_audit_reply",
            str(answer.pk),
            company=audit.company,
            users=people,
            url=audit.get_absolute_url(),
            title=gettext_lazy("%(partner)s answered a corrective action of its site audit"),
            params={"partner": audit.partner.name, "action": locked.title},
            body=gettext_lazy("“%(action)s”: see the answer on the audit's page."),
        )
    return answer
