"""People who sign in. Company roles live on `companies.Membership`; the program-office
role (CBP supply chain security specialist or supervisor, or a third-party validator) is
global and kept here, separate from any company."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgramRole(models.TextChoices):
    NONE = "", _("None")
    SPECIALIST = "specialist", _("Supply chain security specialist")
    SUPERVISOR = "supervisor", _("Supervisor")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    program_role = models.CharField(
        _("program-office role"), max_length=20, choices=ProgramRole.choices, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_program_office(self) -> bool:
        return bool(self.program_role)

    @property
    def sees_catalogue_notes(self) -> bool:
        """The catalogue's internal notes (how a row was researched, what is left to check)
        are for the program office and the staff who import catalogues, not members."""
        return self.is_program_office or self.is_staff

    def requires_mfa(self) -> bool:
        """Company officers and program-office staff must use a second factor."""
        if self.is_program_office:
            return True
        return self.memberships.filter(role="officer").exists()


class APIToken(models.Model):
    """A key a script uses to call the API as one person (NetBox-style v2 token).

    The full token `ctpat_<key_id>.<secret>` is shown once, when it is created. The
    database keeps only `key_id` (not secret; shown in lists, used for look-up) and the
    SHA-256 digest of the secret, so a copy of the database cannot be used to call the
    API. A token has no role of its own: every request acts with its owner's memberships
    as they are at that moment. Tokens are deleted when revoked (by the owner, on a
    password change or reset, or when the owner leaves a company).
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=16, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("Only reads (GET, HEAD, OPTIONS).")
    )
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @property
    def prefix(self) -> str:
        """What the user sees of a stored token: enough to recognise it, nothing to use."""
        from accounts.tokens import TOKEN_PREFIX

        return f"{TOKEN_PREFIX}{self.key_id}"

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires is not None and self.expires <= (now or timezone.now())
