"""Business partners of a member company (MSC category 3) and their import batches.

A business partner is any party in the member's supply chain: manufacturers and
suppliers, carriers of every mode, customs brokers, forwarders, 3PLs, warehouses and
agents. Each partner carries a criticality tier that decides how deeply it is vetted;
the tier is computed from the partner's role, its country's risk and the yearly volume
(see `compute_tier`), and may be overridden with a written reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import TenantModel
from core.tenancy import TenantQuerySet


class PartnerRole(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer / supplier")
    HIGHWAY_CARRIER = "highway_carrier", _("Highway carrier")
    RAIL_CARRIER = "rail_carrier", _("Rail carrier")
    AIR_CARRIER = "air_carrier", _("Air carrier")
    SEA_CARRIER = "sea_carrier", _("Sea carrier")
    CUSTOMS_BROKER = "customs_broker", _("Customs broker")
    FORWARDER = "forwarder", _("Freight forwarder / consolidator / NVOCC")
    THIRD_PARTY_LOGISTICS = "3pl", _("Third-party logistics provider (3PL)")
    WAREHOUSE = "warehouse", _("Warehouse")
    AGENT = "agent", _("Agent")


class Tier(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# --- Criticality formula -------------------------------------------------------------
# points = role points (1-3) + country points (1-3) + volume points (1-3), so 3 to 9.
#   tier = high when points >= 7, medium when points >= 5, otherwise low.
# Role: parties that physically handle, stuff or move the cargo unsupervised weigh most.
ROLE_POINTS: dict[str, int] = {
    PartnerRole.MANUFACTURER: 3,
    PartnerRole.HIGHWAY_CARRIER: 3,
    PartnerRole.WAREHOUSE: 3,
    PartnerRole.THIRD_PARTY_LOGISTICS: 3,
    PartnerRole.FORWARDER: 2,
    PartnerRole.RAIL_CARRIER: 2,
    PartnerRole.SEA_CARRIER: 2,
    PartnerRole.AIR_CARRIER: 2,
    PartnerRole.AGENT: 2,
    PartnerRole.CUSTOMS_BROKER: 1,
}
# Country: 3 for countries under comprehensive U.S. sanctions or a U.S. State Department
# "Level 4: Do not travel" advisory (as of 2025), 2 for major narcotics-transit or
# source countries named in the State Department's INCSR, 1 elsewhere. A starting point
# for the member's own country threat assessment (domain.md §3.4), not a verdict.
HIGH_RISK_COUNTRIES = frozenset(
    {
        "AF",
        "BY",
        "CU",
        "IR",
        "IQ",
        "KP",
        "LY",
        "ML",
        "MM",
        "RU",
        "SO",
        "SS",
        "SY",
        "UA",
        "VE",
        "YE",
        "HT",
    }
)
ELEVATED_RISK_COUNTRIES = frozenset(
    {
        "BO",
        "BS",
        "BZ",
        "CO",
        "CR",
        "DO",
        "EC",
        "GT",
        "HN",
        "JM",
        "MX",
        "NI",
        "PA",
        "PE",
        "PK",
        "SV",
        "CN",
        "IN",
        "LA",
        "TH",
    }
)
# Volume: yearly shipments handled by the partner for the member.
VOLUME_STEPS = ((500, 3), (50, 2), (0, 1))


def country_points(country: str) -> int:
    if country in HIGH_RISK_COUNTRIES:
        return 3
    return 2 if country in ELEVATED_RISK_COUNTRIES else 1


def volume_points(volume: int) -> int:
    return next(points for floor, points in VOLUME_STEPS if volume >= floor)


def compute_tier(role: str, country: str, volume: int) -> str:
    points = ROLE_POINTS.get(role, 2) + country_points(country) + volume_points(volume or 0)
    if points >= 7:
        return str(Tier.HIGH)
    return str(Tier.MEDIUM) if points >= 5 else str(Tier.LOW)


# Legal-form words dropped when comparing names ("Acme S.A. de C.V." = "ACME").
_LEGAL_FORMS = frozenset(
    (
        "sa de cv s de rl srl sas ltda ltd llc inc corp corporation co company"
        " gmbh ag bv nv plc limited sapi lp llp"
    ).split()
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(name: str) -> str:
    """Name used for duplicate detection: no accents, case, punctuation or legal form."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace(".", "")
    words = [w for w in _NON_WORD.split(text) if w and w not in _LEGAL_FORMS]
    return " ".join(words) or " ".join(w for w in _NON_WORD.split(text) if w)


class BusinessPartner(TenantModel):
    """A party in the member's supply chain that the member must vet (MSC 3.1-3.4)."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="business_partners"
    )
    name = models.CharField(_("name"), max_length=200)
    normalised_name = models.CharField(max_length=200, editable=False, db_index=True)
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    country = CountryField(_("country"))
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    tax_id = models.CharField(_("tax identifier"), max_length=40, blank=True)
    other_identifiers = models.CharField(
        _("other identifiers"), max_length=300, blank=True,
        help_text=_("For example SCAC, DUNS, MID or CTPAT account numbers."),
    )  # fmt: skip
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_partners", verbose_name=_("relationship owner"),
    )  # fmt: skip
    yearly_volume = models.PositiveIntegerField(
        _("yearly shipments"), default=0,
        help_text=_("Shipments per year handled by this partner for you."),
    )  # fmt: skip
    computed_tier = models.CharField(
        _("computed tier"), max_length=10, choices=Tier.choices, editable=False
    )
    tier_override = models.CharField(
        _("tier set by hand"), max_length=10, choices=Tier.choices, blank=True
    )
    tier_override_reason = models.TextField(_("reason for the tier set by hand"), blank=True)
    tier = models.CharField(
        _("criticality tier"), max_length=10, choices=Tier.choices, editable=False
    )
    # On hold: a reviewer confirmed a watchlist match. The partner is not to be used (and
    # cannot take the short vetting path) until a manager lifts the hold with a reason
    # (`partners.workflow.lift_hold`). The lift stays on the row and in the audit log.
    on_hold = models.BooleanField(_("on hold"), default=False, db_index=True)
    hold_since = models.DateTimeField(_("on hold since"), null=True, blank=True)
    hold_screening = models.ForeignKey(
        "partners.PartnerScreening", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("confirmed match"),
    )  # fmt: skip
    hold_lifted_at = models.DateTimeField(_("hold lifted at"), null=True, blank=True)
    hold_lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("hold lifted by"),
    )  # fmt: skip
    hold_lift_reason = models.TextField(_("why the hold was lifted"), blank=True)
    # The status of the partner's latest screening ("" before the first), copied here by
    # `note_latest_screenings` after every screening written or decided: the dashboard
    # counts 50,000 partners by it in one pass of `partner_dashboard` instead of seeking
    # each partner's latest screening. Never written by `save()` (see there).
    screening_status = models.CharField(
        _("latest screening"), max_length=20, blank=True, editable=False
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("business partner")
        verbose_name_plural = _("business partners")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "normalised_name", "country"], name="unique_partner_per_company"
            )
        ]
        # The partner list (page and API) shows one company's partners by name: this index
        # hands them over in order, so a page stops after its rows instead of sorting all.
        # The list's default order is newest first: (company, created_at, id) hands a page
        # over in that order too, so the page and the last page do not sort 50,000 rows.
        indexes = [
            models.Index(fields=["company", "name"], name="partner_company_name"),
            models.Index(fields=["company", "created_at", "id"], name="partner_company_created"),
            # Everything the partners dashboard counts, read from the index alone.
            models.Index(
                fields=["company", "tier", "country", "on_hold", "screening_status"],
                name="partner_dashboard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    def get_absolute_url(self) -> str:
        return reverse("partners:partner-detail", args=[self.company_id, self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.normalised_name = normalise_name(self.name or "")
        if self.tier_override and not self.tier_override_reason.strip():
            errors["tier_override_reason"] = _("Say why the tier differs from the computed one.")
        if self.name and self.company_id and self.country:
            clash = BusinessPartner.objects.filter(
                company_id=self.company_id,
                normalised_name=normalise_name(self.name),
                country=self.country,
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["name"] = _("A partner with this name already exists in this country.")
        if errors:
            raise ValidationError(errors)

    def refresh_tier(self) -> None:
        self.normalised_name = normalise_name(self.name)
        self.computed_tier = compute_tier(self.role, str(self.country), self.yearly_volume)
        if not self.tier_override:
            self.tier_override_reason = ""
        self.tier = self.tier_override or self.computed_tier

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_tier()
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            # `screening_status` belongs to the screenings (`note_latest_screenings`): an
            # edit of a partner read before its latest screening must not write it back.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "screening_status"
            ]
        super().save(*args, **kwargs)


def note_latest_screenings(partner_ids: Iterable[int]) -> None:
    """Copy the status of each partner's latest screening (by `screened_at`, then id) to
    `BusinessPartner.screening_status`. Every workflow that writes or decides screenings
    calls it, after the write, with the partners it touched."""
    ids = sorted(set(partner_ids))
    latest = (
        PartnerScreening.objects.filter(partner=models.OuterRef("pk"))
        .order_by("-screened_at", "-pk")
        .values("status")[:1]
    )
    status = Coalesce(models.Subquery(latest), models.Value(""))
    for start in range(0, len(ids), 500):
        BusinessPartner.objects.filter(pk__in=ids[start : start + 500]).update(
            screening_status=status
        )


class PartnerImport(TenantModel):
    """An uploaded partner file, checked row by row before anything is written."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Checked, waiting for confirmation")
        INVALID = "invalid", _("Has errors")
        DONE = "done", _("Imported")

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="partner_imports"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    filename = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_count = models.PositiveIntegerField(default=0)
    # Large files are screened by a background task after the write; the import page
    # follows its progress. `pending_partner_ids` are the partners still to screen.
    screening_total = models.PositiveIntegerField(default=0)
    screened_count = models.PositiveIntegerField(default=0)
    alert_count = models.PositiveIntegerField(default=0)
    pending_partner_ids = models.JSONField(default=list, blank=True)
    screening_finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of the run that may write screenings: only the run holding the token
    # writes, and it renews the heartbeat after every chunk. A heartbeat older than
    # TASK_LEASE_SECONDS means the worker died; the run is then marked stopped (its
    # token cleared, so a late chunk of it is refused) until it is restarted.
    screening_run = models.CharField(max_length=32, blank=True)
    screening_task_id = models.CharField(max_length=64, blank=True)
    screening_heartbeat_at = models.DateTimeField(null=True, blank=True)
    screening_stopped_at = models.DateTimeField(null=True, blank=True)
    screening_restarts = models.PositiveIntegerField(default=0)
    # A run split into part tasks (on RQ): parts of the run still to finish; the part that
    # brings it to zero finishes the batch.
    screening_parts_left = models.PositiveIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @property
    def screening_in_background(self) -> bool:
        return self.screening_total > 0

    @property
    def screening_done(self) -> bool:
        return self.screening_finished_at is not None

    @property
    def screening_stopped(self) -> bool:
        """The run stopped before the end (worker lost or failed) and waits for a restart."""
        return self.screening_stopped_at is not None and not self.screening_done

    def screening_lease_expired(self, now: datetime | None = None) -> bool:
        """A started run has not reported progress within the lease: its worker is gone."""
        if self.screening_done or self.screening_stopped_at or not self.screening_heartbeat_at:
            return False
        lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
        return self.screening_heartbeat_at < (now or timezone.now()) - lease

    @property
    def screening_percent(self) -> int:
        if not self.screening_total:
            return 100
        return min(100, self.screened_count * 100 // self.screening_total)

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("partners:import-detail", args=[self.company_id, self.pk])


class ScreeningStatus(models.TextChoices):
    CLEAR = "clear", _("Clear")
    ALERT = "alert", _("Alert: waiting for review")
    SECOND_REVIEW = "second_review", _("Awaiting second review")
    TRUE_MATCH = "true_match", _("True match")
    FALSE_POSITIVE = "false_positive", _("False positive")
    CLOSED = "closed", _("Closed: list entry removed")


# Alerts that still wait for a reviewer (first or second).
OPEN_STATUSES = (ScreeningStatus.ALERT, ScreeningStatus.SECOND_REVIEW)
# Alerts a reviewer (or a list change) has closed; kept and shown as history.
DECIDED_STATUSES = (
    ScreeningStatus.TRUE_MATCH,
    ScreeningStatus.FALSE_POSITIVE,
    ScreeningStatus.CLOSED,
)


class Verdict(models.TextChoices):
    TRUE_MATCH = "true_match", _("True match")
    FALSE_POSITIVE = "false_positive", _("False positive")


class ScreeningTrigger(models.TextChoices):
    PARTNER_SAVED = "partner_saved", _("Partner added or renamed")
    IMPORT = "import", _("Partner import")
    LIST_UPDATE = "list_update", _("New list version")


class PartnerScreeningQuerySet(TenantQuerySet["PartnerScreening"]):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        fill_company(objs)
        return super().bulk_create(objs, *args, **kwargs)


def fill_company(screenings: list[PartnerScreening]) -> None:
    """Give each screening its partner's company (a partner never changes company)."""
    missing = [s for s in screenings if s.company_id is None]
    unknown = sorted({s.partner_id for s in missing if "partner" not in s._state.fields_cache})
    companies: dict[int, int] = {}
    for start in range(0, len(unknown), 500):
        chunk = unknown[start : start + 500]
        companies.update(
            BusinessPartner.objects.filter(pk__in=chunk).values_list("pk", "company_id")
        )
    for s in missing:
        cached = s._state.fields_cache.get("partner")
        company_id = cached.company_id if cached is not None else companies.get(s.partner_id)
        if company_id is not None:  # a screening of no partner fails on its own
            s.company_id = company_id


class PartnerScreening(TenantModel):
    """One screening of a partner against the watchlists (MSC 3.1 vetting evidence):
    when, against which list versions, the best hits with the engine's explanation, and
    the reviewer's decision when a hit reached the alert threshold."""

    partner = models.ForeignKey(
        BusinessPartner, on_delete=models.CASCADE, related_name="screenings"
    )
    # The partner's company, kept on the screening (set from the partner when the
    # screening is written; a partner never changes company): the company's screenings
    # are then one range of the (company, …) indexes below, so the API and the alert list
    # read a page in order without joining and sorting every partner of the company.
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", editable=False
    )
    screened_at = models.DateTimeField(_("screened at"), auto_now_add=True)
    list_versions = models.JSONField(_("list versions"), default=list)
    threshold = models.FloatField(_("alert threshold"))
    hits = models.JSONField(_("best hits"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=ScreeningStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reviewer"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # Four eyes: the first reviewer's verdict, kept when a second reviewer confirms or
    # overturns it (the final verdict is `status` with `decided_by`).
    first_verdict = models.CharField(
        _("first verdict"), max_length=20, choices=Verdict.choices, blank=True
    )
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("first reviewer"),
    )  # fmt: skip
    first_reviewed_at = models.DateTimeField(_("first review at"), null=True, blank=True)
    first_reason = models.TextField(_("first reviewer's reason"), blank=True)
    trigger = models.CharField(
        _("screened because of"), max_length=20, choices=ScreeningTrigger.choices,
        default=ScreeningTrigger.PARTNER_SAVED,
    )  # fmt: skip

    objects = PartnerScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_at", "-pk"]
        indexes = [
            # Open alerts are few among many screenings: the home pages and the alert list
            # count a company's by status first, then join the partner by key.
            models.Index(fields=["status", "partner"], name="partners_screening_status_idx"),
            # A partner's latest screening in one seek, its status read from the index:
            # the dashboard finds it for each of 50,000 partners.
            models.Index(
                fields=["partner", "-screened_at", "-id", "status"],
                name="partners_screening_latest",
            ),
            # The company's screenings newest first (the API) and its alerts by status
            # (the alert list, the dashboard's count): a page is read in order and stops
            # at its rows instead of sorting every screening of the company first.
            models.Index(fields=["company", "screened_at", "id"], name="screening_company_order"),
            models.Index(
                fields=["company", "status", "screened_at", "id"], name="screening_company_status"
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.company_id is None:
            fill_company([self])
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overturned(self) -> bool:
        return bool(self.first_verdict) and self.status != self.first_verdict and not self.is_open

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_status_display()}"

    def plain_summary(self) -> str:
        """Why it alerted, in words (`partners.explain`)."""
        from partners.explain import short_summary

        return short_summary(self)

    def alerting_hits(self) -> list[dict[str, Any]]:
        return [h for h in self.hits if h.get("alert") and not h.get("remembered")]


class FalsePositive(TenantModel):
    """A reviewer's decision that a list entity is not this partner; later screenings of
    the partner do not alert on that entity again."""

    tenant_field = "partner__company"

    partner = models.ForeignKey(
        BusinessPartner, on_delete=models.CASCADE, related_name="false_positives"
    )
    list_id = models.CharField(_("list"), max_length=20)
    entity_id = models.CharField(_("list entry"), max_length=100)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    # Digest of the list entry as it was when decided (`Entity.fingerprint`): when a new
    # list version changes the entry, the decision no longer holds and reopens.
    entity_fingerprint = models.CharField(max_length=64, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.CharField(_("why it reopened"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "list_id", "entity_id"], name="unique_false_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.list_id}/{self.entity_id}"


class ScreeningPolicy(TenantModel):
    """A company's choices for screening reviews; without a row the site-wide
    `SCREENING_FOUR_EYES` setting applies."""

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, related_name="screening_policy"
    )
    four_eyes = models.BooleanField(
        _("four eyes"),
        default=False,
        help_text=_(
            "A second reviewer, never the first, confirms or overturns each alert decision."
        ),
    )

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.company}: four eyes {'on' if self.four_eyes else 'off'}"


def four_eyes_required(company_id: int) -> bool:
    policy = ScreeningPolicy.objects.filter(company_id=company_id).first()
    if policy is not None:
        return policy.four_eyes
    return bool(getattr(settings, "SCREENING_FOUR_EYES", False))
