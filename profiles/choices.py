"""Choices shared with the apps that read security profiles (audits, reports)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponseStatus(models.TextChoices):
    """How far the company meets one criterion. Empty = not answered yet."""

    UNANSWERED = "", _("Not answered")
    IMPLEMENTED = "implemented", _("Implemented")
    PARTLY = "partly", _("Partly implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class SubmissionKind(models.TextChoices):
    """Why the officer submitted the profile."""

    SUBMISSION = "submission", _("Profile submitted")
    ANNUAL_REVIEW = "annual_review", _("Annual review with changes")


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", _("Reviewed, no change")
    CHANGES_SUBMITTED = "changes_submitted", _("Changes submitted")
