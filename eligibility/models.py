"""A stored run of the eligibility wizard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from companies.choices import BusinessSubtype, BusinessType
from companies.identifiers import IdentifierType, missing_identifiers, required_identifiers
from companies.models import Company
from core.models import TenantModel
from core.tenancy import TenantQuerySet
from eligibility.questions import load_questions


@dataclass(frozen=True)
class Reason:
    """One answered question as the result page and the API explain it."""

    id: str
    question: str
    answer: str
    why: str
    remedy: str


class EligibilityCheck(TenantModel):
    """One answer sheet to the CTPAT eligibility questions for a business entity type
    (domain.md §1.1–1.2) and its verdict. The answers are kept exactly as given, so the
    verdict can be explained later even after the company changes its details."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    business_type = models.CharField(
        _("business entity type"), max_length=40, choices=BusinessType.choices
    )
    business_subtype = models.CharField(
        _("sub-type"), max_length=40, choices=BusinessSubtype.choices, blank=True
    )
    country = CountryField(_("country of headquarters"))
    questions_version = models.CharField(_("question list version"), max_length=40)
    answers = models.JSONField(_("answers"), default=dict)
    qualifies = models.BooleanField(_("qualifies"))
    disqualified_ids = models.JSONField(_("disqualifying answers"), default=list)
    concern_ids = models.JSONField(_("concerns"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )

    objects: ClassVar[TenantQuerySet[EligibilityCheck]] = TenantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        verdict = _("qualifies") if self.qualifies else _("does not qualify")
        return f"{self.company} — {self.get_business_type_display()}: {verdict}"

    def get_absolute_url(self) -> str:
        return reverse("eligibility:check-detail", args=[self.company_id, self.pk])

    def _reasons(self, ids: list[str]) -> list[Reason]:
        catalogue = load_questions()
        reasons = []
        for qid in ids:
            question = catalogue.get(qid)
            answer = str(self.answers.get(qid, ""))
            if question is None:  # removed from the file since this check was run
                reasons.append(Reason(qid, qid, answer, "", ""))
            else:
                reasons.append(
                    Reason(qid, question.label, answer, question.why_text, question.remedy_text)
                )
        return reasons

    def disqualifying_reasons(self) -> list[Reason]:
        """Each answer that disqualifies, with why it matters and what to do, in the
        active language."""
        return self._reasons(self.disqualified_ids)

    def concerns(self) -> list[Reason]:
        return self._reasons(self.concern_ids)

    def answered_questions(self) -> list[Reason]:
        """Every answer, in the order of the question file (PostgreSQL's jsonb does not
        keep the order of keys)."""
        order = {q.id: n for n, q in enumerate(load_questions().questions)}
        return self._reasons(sorted(self.answers, key=lambda qid: order.get(qid, len(order))))

    def required_identifiers(self) -> tuple[tuple[str, ...], ...]:
        return required_identifiers(self.business_type, self.country.code)

    def missing_identifiers(self) -> list[tuple[str, ...]]:
        """Identifier requirements the company does not yet meet (checked against its
        identifiers now, not when the check was run)."""
        # .all() so a list that prefetched the identifiers costs no query per check.
        held = {identifier.kind for identifier in self.company.identifiers.all()}
        return missing_identifiers(self.business_type, self.country.code, held)

    def identifier_requirements(self) -> list[tuple[list[str], bool]]:
        """Each identifier the type requires, as the names of the kinds that satisfy it
        ("EIN or D-U-N-S") and whether the company holds one."""
        missing = set(self.missing_identifiers())
        return [
            ([str(IdentifierType(kind).label) for kind in group], group not in missing)
            for group in self.required_identifiers()
        ]
