"""Shared abstract bases and the idempotency record; no domain models live here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tenancy import TenantQuerySet


class TimeStampedModel(models.Model):
    """Adds creation and last-change times to a model."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A record owned by one company; its audit entries carry the company's id so the
    company's admins can read them."""

    tenant_field = "company"

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, Any]:
        *path, last = self.tenant_field.split("__")
        owner: Any = self
        for part in path:
            owner = getattr(owner, part)
        return {"company_id": getattr(owner, f"{last}_id")}


class SubmissionKey(models.Model):
    """One row per form submission key, so a retried POST (double click, flaky network)
    is recognised and answered with the first result instead of creating a duplicate."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.UUIDField()
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_submission_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ApiIdempotencyKey(models.Model):
    """One row per `Idempotency-Key` an API client sent with a POST, so a retried request
    gets the first answer instead of making a second object.

    `fingerprint` is a hash of the method, path and canonical body of the first request: the
    same key with another request is refused. `status` stays empty while the first request
    runs; the first answer (status, body, type, `Location`) is kept once it succeeded.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.UUIDField()
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content = models.TextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_api_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class SentReminder(models.Model):
    """One reminder e-mailed (or queued to be e-mailed) to one person: about what
    (`kind` + `key`, the key naming the object and its due date), at which stage ("30"
    days before, "overdue"…). The unique (kind, key, stage, recipient) is what makes
    `ctpat send_reminders` send nothing twice, however often it runs. `title`, `url` and
    `language` are fixed when the row is written, so the worker that sends the e-mail needs
    no app's code. `company_id` is a plain number: the log outlives a deleted company."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("about"), max_length=100)
    stage = models.CharField(_("stage"), max_length=20)
    recipient = models.EmailField(_("recipient"))
    company_id = models.PositiveBigIntegerField(_("company"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent reminder")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "stage", "recipient"], name="one_reminder_per_person"
            )
        ]
        indexes = [models.Index(fields=["sent_at"], name="reminder_unsent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.stage} → {self.recipient}"


class ExportJob(TenantModel):
    """One export (a CSV, a PDF, the validation-readiness binder) built in the background
    for the person who asked for it (`core.export_jobs`).

    `kind` names a registered exporter, `parameters` what it was asked with (the list's
    filters, the document, the language). The worker counts `done` of `total` as it goes
    (a heartbeat too: `updated_at`), stores the file in the default storage and sets
    `finished_at`; a failure keeps `error`, in plain words for the reader. Old jobs and
    their files are removed after `CTPAT_EXPORT_KEEP_HOURS`."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    file = models.FileField(_("file"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="export_job_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class ScheduledRun(models.Model):
    """One day's run of one daily job, claimed by one machine (core.scheduler): the unique
    (job, day) row is the lock that keeps several schedulers from running it twice."""

    job = models.CharField(max_length=100)
    day = models.DateField()
    host = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="core_scheduledrun_once_a_day")
        ]
        ordering = ["-day", "job"]

    def __str__(self) -> str:
        return f"{self.job} {self.day} on {self.host}"


class RateCounter(models.Model):
    """One client's requests in its current window under one scope (`core.ratelimit`): the
    shared count behind every rate limit when the cache is the database, kept apart from
    the cache table so that one statement counts a request (no read, cull and rewrite)."""

    name = models.CharField(max_length=250, primary_key=True)
    hits = models.PositiveIntegerField()
    # Seconds since the epoch at which the window ends and the count starts again.
    resets_at = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.hits}"
