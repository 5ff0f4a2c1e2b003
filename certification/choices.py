"""The member account's lifecycle states and the names other apps share."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Where a member account stands in the CTPAT lifecycle (domain.md §5.2, §10)."""

    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")
    UNDER_REVIEW = "under_review", _("Under review")
    CERTIFIED = "certified", _("Certified (tier 1)")
    VALIDATED = "validated", _("Validated")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")
    INELIGIBLE = "ineligible", _("Ineligible")


# States in which the member holds a certification and its benefits.
CERTIFIED_STATES = frozenset({State.CERTIFIED, State.VALIDATED})


class Actor(models.TextChoices):
    """Who performs a transition."""

    OFFICER = "officer", _("Company officer")
    SPECIALIST = "specialist", _("Supply chain security specialist")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYSTEM = "system", _("System")


class SuspensionReason(models.TextChoices):
    SECURITY_INCIDENT = "security_incident", _("Security incident")
    FAILED_VALIDATION = "failed_validation", _("Failed validation")
    MISSED_ANNUAL_REVIEW = "missed_annual_review", _("Missed annual review")
    FALSE_INFORMATION = "false_information", _("False or misleading information")


class VettingItem(models.TextChoices):
    IDENTIFIERS = "identifiers", _("Business identifiers")
    BONDS = "bonds", _("Customs bonds")
    UNPAID_DEBT = "unpaid_debt", _("Unpaid debt to CBP")
    OPEN_SOURCE = "open_source", _("Open-source research")
    LIST_SCREENING = "list_screening", _("Sanctions and denied-party list screening")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class AppealKind(models.TextChoices):
    BENEFIT_DENIAL = "benefit_denial", _("Denial of benefits")
    FALSE_INFORMATION = "false_information", _("Suspension or removal for false information")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting supervisor approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to the specialist")


class Observation(models.TextChoices):
    """What the validation team saw of one criterion at the member's sites or records."""

    OBSERVED = "observed", _("Observed")
    NOT_OBSERVED = "not_observed", _("Not observed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Finding(models.TextChoices):
    """What a worksheet row asks of the member: nothing, a required action (answered
    within the response window before close-out), or a recommendation."""

    NONE = "none", _("None")
    REQUIRED_ACTION = "required_action", _("Required action")
    RECOMMENDATION = "recommendation", _("Recommendation")
