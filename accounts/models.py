"""People who sign in. Company roles live on `companies.Membership`; the program-office
role (CBP supply chain security specialist or supervisor, or a third-party validator) is
global and kept here, separate from any company."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
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

    def requires_mfa(self) -> bool:
        """Company officers and program-office staff must use a second factor."""
        if self.is_program_office:
            return True
        return self.memberships.filter(role="officer").exists()
