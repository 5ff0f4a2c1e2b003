"""Checks the review, validation and appeal verbs share; each refusal raises
`TransitionNotAllowed` with a message for the person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django_stubs_ext import StrOrPromise

from certification.models import (
    Certification,
)
from certification.workflow.lifecycle import TransitionNotAllowed

if TYPE_CHECKING:
    from accounts.models import User


def require(ok: bool, message: StrOrPromise) -> None:
    if not ok:
        raise TransitionNotAllowed(str(message))


def is_program_office(user: User) -> bool:
    return bool(user.program_role)


def member_editor(certification: Certification, user: User) -> bool:
    """Whether the user may edit for the member company (answers to the program office)."""
    from core.tenancy import roles_allowing

    return certification.company.role_of(user) in roles_allowing("edit")
