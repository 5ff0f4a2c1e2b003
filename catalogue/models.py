"""The Minimum Security Criteria (MSC) catalogue as versioned reference data.

A `Catalogue` is one published version of a criteria list (for example "CTPAT Minimum
Security Criteria 2019", effective 2020-01-01), imported from a data file whose SHA-256 is
kept. Its `Criterion` rows carry the criterion ID (`3.1`, `7.37`), the focus area and the
category, the default Must/Should level, the business types it applies to, per-type
overrides of the level and the provenance (for which types the row was checked against
CBP's own document, and which are inferred).

Focus areas and categories are fields on `Criterion` rather than models of their own: in
the MSC the category number is the first part of the ID, so a category is fully described
by (number, name, focus area) and the importer checks that every row of a file names a
category the same way. `Catalogue.categories()` lists them.

`Applicability` holds one row per (criterion, business type) with the effective level
after overrides and the verified flag, so "the criteria for highway carriers" is a plain
query on both SQLite and PostgreSQL.

A published catalogue is immutable: saving or deleting it, its criteria or their
applicability raises `CatalogueLocked`. A correction is a new version, imported as a new
catalogue. These are global reference data, not owned by a company: every signed-in user
may read them; only deployment admins (`is_staff`) import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from catalogue import translations
from catalogue.choices import BUSINESS_TYPE_PLURALS, Requirement
from companies.choices import BusinessType


class CatalogueLocked(ValidationError):
    """Raised when code tries to change or delete a published catalogue or its criteria."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        name = str(catalogue) if catalogue is not None else gettext("this catalogue")
        super().__init__(
            gettext(
                "%(catalogue)s is published and cannot be changed or deleted; "
                "import the corrected file as a new version instead."
            )
            % {"catalogue": name}
        )


def _check_business_type(business_type: str) -> None:
    if business_type not in BusinessType.values:
        raise ValueError(
            f"unknown business type {business_type!r}; expected one of {BusinessType.values}"
        )


class CatalogueQuerySet(models.QuerySet["Catalogue"]):
    # Deleting a user who imported a catalogue only clears this pointer; that is
    # bookkeeping, not catalogue content, so the lock lets it through.
    _MUTABLE_FIELDS = frozenset({"imported_by"})

    def published(self) -> CatalogueQuerySet:
        return self.filter(published=True)

    def latest_published(self) -> Catalogue | None:
        """The catalogue in force: the published version with the latest effective date."""
        return self.published().order_by("-effective_date", "-imported_at", "-pk").first()

    def update(self, **kwargs: Any) -> int:
        if set(kwargs) - self._MUTABLE_FIELDS:
            locked = self.filter(published=True).first()
            if locked is not None:
                raise CatalogueLocked(locked)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        locked = self.filter(published=True).first()
        if locked is not None:
            raise CatalogueLocked(locked)
        return super().delete()


class Catalogue(models.Model):
    """One version of a CTPAT criteria catalogue, e.g. the 2019 Minimum Security Criteria.

    `slug` names the catalogue across its versions ("ctpat-msc"); (`slug`, `version`) is
    unique. `source_sha256` is the hash of the imported file, so re-importing the same
    file is recognised and a different file cannot be slipped in under the same version.
    """

    slug = models.SlugField(
        _("catalogue identifier"),
        max_length=50,
        help_text=_("Stays the same across versions, e.g. ctpat-msc."),
    )
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    effective_date = models.DateField(_("effective date"))
    source_file_name = models.CharField(_("source file"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("source file SHA-256"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published = models.BooleanField(_("published"), default=False)

    objects: ClassVar[CatalogueQuerySet] = CatalogueQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("criteria catalogue")
        verbose_name_plural = _("criteria catalogues")
        ordering = ["-effective_date", "-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_catalogue_version")
        ]

    def __str__(self) -> str:
        return gettext("%(name)s (version %(version)s)") % {
            "name": self.name,
            "version": self.version,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Catalogue.objects.filter(pk=self.pk, published=True).exists():
            raise CatalogueLocked(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{reverse('catalogue:criterion-list')}?catalogue={self.pk}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.published:
            raise CatalogueLocked(self)
        return super().delete(*args, **kwargs)

    def publish(self) -> None:
        """Make this version visible and lock it for good."""
        if self.published:
            return
        self.published = True
        self.save(update_fields=["published"])

    def criteria_for(self, business_type: str) -> CriterionQuerySet:
        """The criteria that apply to one business type, each annotated with
        `effective_requirement` (after overrides) and `verified_for_type`."""
        return self.criteria.for_business_type(business_type)

    def categories(self) -> list[tuple[int, str, str]]:
        """(number, name, focus area) of each category in this catalogue, in order."""
        rows = (
            self.criteria.order_by("category_number")
            .values_list("category_number", "category_name", "focus_area")
            .distinct()
        )
        return list(rows)


class CriterionQuerySet(models.QuerySet["Criterion"]):
    def for_business_type(self, business_type: str) -> CriterionQuerySet:
        """Criteria that apply to `business_type`, annotated with `effective_requirement`
        (the level after per-type overrides) and `verified_for_type` (False = inferred)."""
        _check_business_type(business_type)
        return (
            self.annotate(
                applies=FilteredRelation(
                    "applicabilities",
                    condition=Q(applicabilities__business_type=business_type),
                )
            )
            .filter(applies__isnull=False)
            .annotate(
                effective_requirement=F("applies__requirement"),
                verified_for_type=F("applies__verified"),
            )
        )

    def update(self, **kwargs: Any) -> int:
        _refuse_if_locked(Catalogue.objects.filter(criteria__in=self.values("pk")))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_if_locked(Catalogue.objects.filter(criteria__in=self.values("pk")))
        return super().delete()

    def bulk_create(self, objs: Iterable[Criterion], *args: Any, **kwargs: Any) -> list[Criterion]:
        objs = list(objs)
        _refuse_if_locked(Catalogue.objects.filter(pk__in={o.catalogue_id for o in objs}))
        return super().bulk_create(objs, *args, **kwargs)


def _refuse_if_locked(catalogues: models.QuerySet[Catalogue]) -> None:
    """Raise CatalogueLocked when any of `catalogues` is published. Guards the bulk
    paths (queryset update/delete, bulk_create) that bypass `save()` and `delete()`."""
    locked = catalogues.filter(published=True).first()
    if locked is not None:
        raise CatalogueLocked(locked)


class Criterion(models.Model):
    """One Minimum Security Criterion of a catalogue version, e.g. 3.1 (business partner
    screening) or 7.37 (start an internal investigation of a breach at once).

    `entity_types`, `verified_for` and `requirement_overrides` keep the row as imported;
    the `applicabilities` rows are derived from them at import time.
    """

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="criteria"
    )
    ref_id = models.CharField(_("criterion ID"), max_length=10)
    category_number = models.PositiveSmallIntegerField(_("category number"))
    # The part of the ID after the dot, so that 3.10 sorts after 3.9.
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    focus_area = models.CharField(_("focus area"), max_length=100)
    category_name = models.CharField(_("category"), max_length=200)
    requirement = models.CharField(_("requirement"), max_length=10, choices=Requirement.choices)
    entity_types = models.JSONField(_("business types"), default=list)
    requirement_overrides = models.JSONField(
        _("requirement by business type"),
        default=dict,
        blank=True,
        help_text=_("Business types whose level differs from the default."),
    )
    verified_for = models.JSONField(_("verified for"), default=list, blank=True)
    summary = models.TextField(_("summary"))
    guidance = models.TextField(_("guidance"), blank=True)
    # The summary and the guidance in Spanish, from the optional text_es / guidance_es
    # columns of the imported file; empty when the file has none (pages fall back to English).
    text_es = models.TextField(_("summary (Spanish)"), blank=True, default="")
    guidance_es = models.TextField(_("guidance (Spanish)"), blank=True, default="")
    sources = models.JSONField(_("sources"), default=list)
    evidence = models.CharField(_("evidence"), max_length=200)
    msc_documents = models.JSONField(_("MSC documents"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects: ClassVar[CriterionQuerySet] = CriterionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["catalogue_id", "category_number", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "ref_id"], name="unique_criterion_id")
        ]

    def __str__(self) -> str:
        return f"{self.ref_id} {self.summary[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Catalogue.objects.filter(pk=self.catalogue_id, published=True).exists():
            raise CatalogueLocked(self.catalogue)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:criterion-detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.catalogue.published:
            raise CatalogueLocked(self.catalogue)
        return super().delete(*args, **kwargs)

    @property
    def category_label(self) -> str:
        return f"{self.category_number}. {self.category_name_local}"

    @property
    def summary_local(self) -> str:
        """The summary in the language of the request: in Spanish the file's `text_es`,
        else the shipped translation of this exact English text (catalogue/translations.py),
        else the English."""
        if not spanish_reader():
            return self.summary
        return self.text_es or translations.spanish_summary(self.summary) or self.summary

    @property
    def guidance_local(self) -> str:
        if spanish_reader() and self.guidance_es:
            return self.guidance_es
        return self.guidance

    @property
    def category_name_local(self) -> str:
        return localized_name(self.category_name)

    @property
    def focus_area_local(self) -> str:
        return localized_name(self.focus_area)

    def applies_to(self, business_type: str) -> bool:
        return business_type in self.entity_types

    def requirement_for(self, business_type: str) -> str | None:
        """The level (`must`/`should`) this criterion has for one business type after
        overrides, or None when it does not apply to that type."""
        _check_business_type(business_type)
        if business_type not in self.entity_types:
            return None
        return str(self.requirement_overrides.get(business_type, self.requirement))

    def is_verified_for(self, business_type: str) -> bool:
        return business_type in self.verified_for

    def inferred_for(self) -> list[str]:
        """Business types the criterion is assigned to without a verified source."""
        return [t for t in self.entity_types if t not in self.verified_for]

    def provenance(self) -> str:
        """How far to trust the applicability, in words, e.g. "Verified for importers;
        inferred for highway carriers"."""
        verified = [t for t in BusinessType.values if t in self.verified_for]
        inferred = [t for t in BusinessType.values if t in self.inferred_for()]
        parts: list[str] = []
        if len(verified) == len(BusinessType.values):
            parts.append(gettext("verified for every business type"))
        elif verified:
            parts.append(gettext("verified for %(types)s") % {"types": _plural_list(verified)})
        else:
            parts.append(gettext("not verified for any business type"))
        if inferred:
            if verified and len(verified) + len(inferred) == len(BusinessType.values):
                parts.append(gettext("inferred for every other business type"))
            else:
                parts.append(gettext("inferred for %(types)s") % {"types": _plural_list(inferred)})
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]


def spanish_reader() -> bool:
    return (get_language() or "").startswith("es")


def localized_name(name: str) -> str:
    """A category or focus area name in the language of the request (shipped Spanish
    names for the shipped catalogue; other names stay as imported)."""
    if spanish_reader():
        return translations.spanish_name(name) or name
    return name


def _plural_list(business_types: list[str]) -> str:
    names = [str(BUSINESS_TYPE_PLURALS[t]) for t in business_types]
    return str(get_text_list(names, gettext("and")))


class ApplicabilityQuerySet(models.QuerySet["Applicability"]):
    def update(self, **kwargs: Any) -> int:
        _refuse_if_locked(Catalogue.objects.filter(criteria__applicabilities__in=self.values("pk")))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_if_locked(Catalogue.objects.filter(criteria__applicabilities__in=self.values("pk")))
        return super().delete()

    def bulk_create(
        self, objs: Iterable[Applicability], *args: Any, **kwargs: Any
    ) -> list[Applicability]:
        objs = list(objs)
        _refuse_if_locked(Catalogue.objects.filter(criteria__in={o.criterion_id for o in objs}))
        return super().bulk_create(objs, *args, **kwargs)

    def derive(self, criteria: Iterable[Criterion]) -> list[Applicability]:
        """Write the rows of saved, unpublished criteria: one per business type each applies
        to, at its level after overrides, verified when its sources say so."""
        return self.bulk_create(
            Applicability(
                criterion=criterion,
                business_type=business_type,
                requirement=str(criterion.requirement_for(business_type)),
                verified=business_type in criterion.verified_for,
            )
            for criterion in criteria
            for business_type in criterion.entity_types
        )


class Applicability(models.Model):
    """That a criterion applies to one business type: the level the type must meet
    (after overrides) and whether this was verified against the type's own MSC document
    (False = inferred by the catalogue's authors)."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="applicabilities"
    )
    business_type = models.CharField(
        _("business type"), max_length=40, choices=BusinessType.choices
    )
    requirement = models.CharField(_("requirement"), max_length=10, choices=Requirement.choices)
    verified = models.BooleanField(_("verified"), default=False)

    objects: ClassVar[ApplicabilityQuerySet] = ApplicabilityQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("applicability")
        verbose_name_plural = _("applicabilities")
        ordering = ["criterion_id", "business_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "business_type"], name="unique_applicability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ref_id} → {self.business_type} ({self.requirement})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Catalogue.objects.filter(criteria=self.criterion_id, published=True).exists():
            raise CatalogueLocked(self.criterion.catalogue)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.criterion.catalogue.published:
            raise CatalogueLocked(self.criterion.catalogue)
        return super().delete(*args, **kwargs)
