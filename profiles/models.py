"""The security profile: a company's answers to one version of the Minimum Security
Criteria, with evidence, the officer's submissions and the annual review.

- `SecurityProfile`: one per company per catalogue version. Only the criteria that apply to
  the company's business type are shown and scored.
- `Response`: the answer to one criterion (status, narrative, owner, due date), edited with
  optimistic concurrency: each save names the version it started from.
- `Evidence` and `EvidenceFile`: a document that shows the criterion is met and its
  uploaded versions (a new upload keeps the old ones), each with its SHA-256.
- `Submission`: a frozen snapshot of the profile the company officer signed and submitted.
- `AnnualReview`: that the yearly review due on one date was done, and how.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalogue.choices import Requirement
from catalogue.models import Catalogue, Criterion
from companies.models import Company, Membership
from core.models import TenantModel
from core.refusals import NotAllowed
from core.tenancy import TenantQuerySet
from core.uploads import StoredFile
from profiles.choices import ResponseStatus, ReviewOutcome, SubmissionKind
from profiles.readiness import Readiness, compute_readiness

if TYPE_CHECKING:
    from accounts.models import User


class NoCatalogue(NotAllowed):
    """No published criteria catalogue is loaded, so there is nothing to answer."""

    code = "no_catalogue"
    default_message = gettext_lazy("No criteria catalogue is loaded.")


class EditConflict(NotAllowed):
    """Someone else saved the same answer after this editor opened it."""

    code = "edit_conflict"

    def __init__(self, current: Response) -> None:
        who = current.updated_by.email if current.updated_by else _("someone")
        super().__init__(
            _(
                "This answer was changed by %(who)s at %(when)s since you read it; nothing "
                "was saved."
            )
            % {"who": who, "when": current.updated_at.isoformat()}
        )
        self.current = current


def status_labels() -> dict[str, str]:
    """Each response status with its label in the active language."""
    language = get_language() or ""
    labels = _STATUS_LABELS.get(language)
    if labels is None:
        labels = _STATUS_LABELS[language] = {v: str(label) for v, label in ResponseStatus.choices}
    return labels


_STATUS_LABELS: dict[str, dict[str, str]] = {}


@dataclass
class Row:
    """One criterion as the profile page shows it: the criterion (annotated with its
    effective Must/Should for the company's business type), the answer and the number of
    evidence documents."""

    criterion: Criterion
    response: Response
    evidence_count: int = 0
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_must(self) -> bool:
        return self.requirement == Requirement.MUST

    @property
    def requirement(self) -> str:
        return str(getattr(self.criterion, "effective_requirement", self.criterion.requirement))

    @property
    def status(self) -> str:
        return self.response.status

    @property
    def status_label(self) -> str:
        """The status in the active language (looked up once per language, not per row)."""
        return status_labels()[self.status]

    @property
    def is_met(self) -> bool:
        return self.status in (ResponseStatus.IMPLEMENTED, ResponseStatus.NOT_APPLICABLE)


class SecurityProfileQuerySet(TenantQuerySet["SecurityProfile"]):
    pass


class SecurityProfile(TenantModel):
    """A company's CTPAT security profile for one catalogue version: its answers to the
    Minimum Security Criteria that apply to its business type."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="security_profiles")
    catalogue = models.ForeignKey(
        Catalogue,
        verbose_name=gettext_lazy("catalogue"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    has_unsubmitted_changes = models.BooleanField(
        gettext_lazy("changed since the last submission"), default=False
    )

    objects: ClassVar[SecurityProfileQuerySet] = SecurityProfileQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("security profile")
        ordering = ["company__legal_name", "-catalogue__effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "catalogue"], name="one_profile_per_catalogue"
            )
        ]

    def __str__(self) -> str:
        return _("Security profile of %(company)s (%(catalogue)s)") % {
            "company": self.company,
            "catalogue": self.catalogue,
        }

    def get_absolute_url(self) -> str:
        return reverse("profiles:profile-detail", args=[self.company_id])

    # -- finding and starting ------------------------------------------------------------

    @classmethod
    def current_for(cls, company: Company) -> SecurityProfile | None:
        """The company's profile on the newest catalogue version it has moved to, if it
        was started. A newly published version does not move anybody: the company moves
        explicitly (`profiles.workflow.upgrade_profile`)."""
        profile = (
            cls.objects.filter(company=company)
            .select_related("catalogue")
            .order_by("-catalogue__effective_date", "-pk")
            .first()
        )
        if profile is not None:
            profile.company = company
        return profile

    @classmethod
    def start(cls, company: Company) -> SecurityProfile:
        """The company's current profile, or a new one (with one empty answer per
        applicable criterion) on the catalogue in force. Raises NoCatalogue."""
        profile = cls.current_for(company)
        if profile is not None:
            return profile
        catalogue = Catalogue.objects.latest_published()
        if catalogue is None:
            raise NoCatalogue
        with transaction.atomic():
            profile, created = cls.objects.get_or_create(company=company, catalogue=catalogue)
            if created:
                profile.ensure_responses()
        return profile

    def newer_catalogues(self) -> list[Catalogue]:
        """Published versions of the same catalogue newer than the one answered."""
        return list(
            Catalogue.objects.published()
            .filter(
                slug=self.catalogue.slug,
                effective_date__gt=self.catalogue.effective_date,
            )
            .order_by("-effective_date")
        )

    def previous(self) -> SecurityProfile | None:
        """The company's profile on the version answered before this one."""
        return (
            SecurityProfile.objects.filter(
                company_id=self.company_id,
                catalogue__effective_date__lt=self.catalogue.effective_date,
            )
            .select_related("catalogue")
            .order_by("-catalogue__effective_date")
            .first()
        )

    def ensure_responses(self, criteria: list[Criterion] | None = None) -> None:
        """Create the empty answers missing for applicable criteria (after a change of
        business type, for example). Safe to call concurrently."""
        criteria = self.criteria() if criteria is None else criteria
        have = set(self.responses.values_list("criterion_id", flat=True))
        missing = [Response(profile=self, criterion=c) for c in criteria if c.pk not in have]
        if missing:
            Response.objects.bulk_create(missing, ignore_conflicts=True)

    # -- reading -------------------------------------------------------------------------

    def criteria(self) -> list[Criterion]:
        """The criteria that apply to the company's business type, in catalogue order."""
        criteria = self.catalogue.criteria_for(self.company.business_type)
        # Long texts nobody shows in lists; the criterion page reads them itself.
        return list(criteria.defer("guidance", "notes", "sources", "msc_documents"))

    def rows(self, *, with_evidence: bool = False) -> list[Row]:
        """Every applicable criterion with its answer, in a fixed number of queries."""
        criteria = self.criteria()
        if self.pk is None:  # a reader's view of a profile nobody started
            return [Row(c, Response(profile=self, criterion=c)) for c in criteria]
        responses = {
            r.criterion_id: r for r in Response.objects.filter(profile=self).select_related("owner")
        }
        counts = dict(
            Evidence.objects.filter(response__profile=self)
            .values_list("response_id")
            .annotate(n=Count("pk"))
            .values_list("response_id", "n")
        )
        evidence: dict[int, list[Evidence]] = {}
        if with_evidence:
            for item in Evidence.objects.filter(response__profile=self).with_current_file():
                evidence.setdefault(item.response_id, []).append(item)
        rows = []
        for criterion in criteria:
            response = responses.get(criterion.pk) or Response(profile=self, criterion=criterion)
            response.criterion = criterion
            rows.append(
                Row(
                    criterion,
                    response,
                    counts.get(response.pk, 0) if response.pk else 0,
                    evidence.get(response.pk, []) if response.pk else [],
                )
            )
        return rows

    def readiness(self, rows: list[Row] | None = None) -> Readiness:
        return compute_readiness(self.rows() if rows is None else rows)

    def last_submission(self) -> Submission | None:
        return (
            Submission.objects.filter(company_id=self.company_id)
            .defer("snapshot")
            .order_by("-number")
            .first()
        )

    def response_for(self, criterion: Criterion) -> Response:
        """The saved answer to one applicable criterion (created empty if missing)."""
        response, _created = Response.objects.get_or_create(profile=self, criterion=criterion)
        return response


class ResponseQuerySet(TenantQuerySet["Response"]):
    pass


class Response(TenantModel):
    """The company's answer to one criterion: how far it is met, how (narrative), who
    owns it and by when it will be done. `version` counts saves, so two people editing the
    same answer cannot silently overwrite each other."""

    tenant_field = "profile__company"

    profile = models.ForeignKey(SecurityProfile, on_delete=models.CASCADE, related_name="responses")
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=gettext_lazy("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=ResponseStatus.choices, blank=True
    )
    narrative = models.TextField(
        gettext_lazy("how we meet it"),
        blank=True,
        help_text=gettext_lazy(
            "Describe the procedure, who does it, how often, and where the records are kept."
        ),
    )
    na_reason = models.TextField(
        gettext_lazy("why it does not apply"),
        blank=True,
        help_text=gettext_lazy("Required when the status is “Not applicable”."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(gettext_lazy("due date"), null=True, blank=True)
    version = models.PositiveIntegerField(gettext_lazy("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[ResponseQuerySet] = ResponseQuerySet.as_manager()  # type: ignore[assignment]

    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = (
        "status",
        "narrative",
        "na_reason",
        "owner",
        "due_date",
    )

    class Meta:
        verbose_name = gettext_lazy("answer")
        ordering = ["profile_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ref_id}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("profiles:response-edit", args=[self.profile.company_id, self.criterion_id])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == ResponseStatus.NOT_APPLICABLE and not self.na_reason.strip():
            errors["na_reason"] = _(
                "Say why this criterion does not apply to your company; “Not applicable” "
                "needs a reason."
            )
        if self.owner_id is not None and self.profile_id is not None:
            company_id = self.profile.company_id
            if not Membership.objects.filter(user_id=self.owner_id, company_id=company_id).exists():
                errors["owner"] = _("The owner must be a member of the company.")
        if errors:
            raise ValidationError(errors)

    def save_edit(self, changes: dict[str, Any], *, by: User, base_version: int) -> Response:
        """Save an editor's changes if nobody else saved this answer since they opened it
        (`base_version`); otherwise raise EditConflict with the current answer and change
        nothing. Returns the saved answer, whose `version` is the token of the next save.

        A newer version saved by this same editor is not a conflict: it is their own
        autosave that crossed a click on Save (or a second tab). Anyone else's save in
        between is, since it would be the last save on the row."""
        with transaction.atomic():
            current = (
                Response.objects.select_for_update(of=("self",))
                .select_related("updated_by", "owner", "criterion")
                .get(pk=self.pk)
            )
            if current.version != base_version and current.updated_by_id != by.pk:
                raise EditConflict(current)
            changed = False
            for name in self.EDITABLE_FIELDS:
                if name in changes and getattr(current, name) != changes[name]:
                    setattr(current, name, changes[name])
                    changed = True
            if not changed:
                return current
            if current.status != ResponseStatus.NOT_APPLICABLE:
                current.na_reason = current.na_reason if current.na_reason.strip() else ""
            current.full_clean(exclude=["profile", "criterion", "version", "updated_by"])
            current.version += 1
            current.updated_by = by
            current.save()
            SecurityProfile.objects.filter(pk=current.profile_id).update(
                has_unsubmitted_changes=True, updated_at=timezone.now()
            )
        return current


class EvidenceQuerySet(TenantQuerySet["Evidence"]):
    def with_current_file(self) -> EvidenceQuerySet:
        """Each evidence with `current_version` (the highest version number) annotated."""
        newest = EvidenceFile.objects.filter(evidence=OuterRef("pk")).order_by("-version")
        return self.annotate(current_version=Subquery(newest.values("version")[:1]))

    def expiring(self, on_or_before: datetime.date) -> EvidenceQuerySet:
        return self.filter(expires_on__isnull=False, expires_on__lte=on_or_before)


class Evidence(TenantModel):
    """A document that shows a criterion is met: a policy, a procedure, a log, a photo, a
    certificate. Re-uploading it adds a version and keeps the earlier ones, because a
    submitted profile refers to the exact file (by SHA-256) it was submitted with."""

    tenant_field = "response__profile__company"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(gettext_lazy("title"), max_length=200)
    expires_on = models.DateField(
        gettext_lazy("expires on"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "For certificates, contracts and the like; owners are reminded 30 and 7 days before."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[EvidenceQuerySet] = EvidenceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("evidence")
        verbose_name_plural = gettext_lazy("evidence")
        ordering = ["response_id", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def latest_file(self) -> EvidenceFile | None:
        return self.files.order_by("-version").first()

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())


class EvidenceFile(StoredFile, TenantModel):
    """One uploaded version of an evidence document."""

    tenant_field = "evidence__response__profile__company"
    folder = "evidence"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField(gettext_lazy("version"))

    objects: ClassVar[TenantQuerySet[EvidenceFile]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("evidence file")
        ordering = ["evidence_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "version"], name="unique_evidence_version")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"

    def get_absolute_url(self) -> str:
        company_id = self.evidence.response.profile.company_id
        return reverse("profiles:evidence-download", args=[company_id, self.pk])


class FrozenError(NotAllowed):
    """A submission is a signed record; it is never changed or deleted."""

    code = "frozen"


class Submission(TenantModel):
    """A security profile the company officer signed and submitted, frozen as a snapshot.

    Later edits change the live profile (the next draft), never this row. `number` counts
    the company's submissions from 1, across catalogue versions."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(
        SecurityProfile, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveIntegerField(gettext_lazy("number"))
    kind = models.CharField(
        gettext_lazy("kind"),
        max_length=20,
        choices=SubmissionKind.choices,
        default=SubmissionKind.SUBMISSION,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"))
    signer_name = models.CharField(gettext_lazy("full name"), max_length=200)
    signer_title = models.CharField(gettext_lazy("title"), max_length=200)
    attestation = models.TextField(gettext_lazy("attestation"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    overall_score = models.PositiveSmallIntegerField(gettext_lazy("readiness"), null=True)
    snapshot = models.JSONField(gettext_lazy("snapshot"))

    objects: ClassVar[TenantQuerySet[Submission]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("profile submission")
        ordering = ["company_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="unique_submission_number")
        ]

    def __str__(self) -> str:
        return _("Submission %(number)s of %(date)s") % {
            "number": self.number,
            "date": timezone.localdate(self.submitted_at).isoformat(),
        }

    def get_absolute_url(self) -> str:
        return reverse("profiles:submission-detail", args=[self.company_id, self.number])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise FrozenError(_("A submitted profile cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenError(_("A submitted profile cannot be deleted."))


class AnnualReview(TenantModel):
    """The yearly security-profile review due on `due_date` (the account anniversary):
    done by the company officer, either attesting "reviewed, no change" or submitting the
    changes. A late review is recorded as late."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(gettext_lazy("due date"))
    outcome = models.CharField(
        gettext_lazy("outcome"), max_length=20, choices=ReviewOutcome.choices
    )
    completed_at = models.DateTimeField(gettext_lazy("completed at"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="annual_review"
    )
    late = models.BooleanField(gettext_lazy("late"), default=False)

    objects: ClassVar[TenantQuerySet[AnnualReview]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = gettext_lazy("annual review")
        ordering = ["company_id", "-due_date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "due_date"], name="one_review_per_due_date")
        ]

    def __str__(self) -> str:
        return _("Annual review due %(date)s") % {"date": self.due_date.isoformat()}
