"""The one family of refusals: a workflow function that will not do what it was asked raises
a `Refused`, and every caller shows it the same way.

A refusal carries a human message (already in the user's language, or lazy) and a stable
`code` for API clients. Pages show it with `show()` (a form error or a flash message); the
API's exception handler (`core.api.exception_handler`) answers `{"code", "detail"}` with the
refusal's `status`: 409 when the object's state or the caller's role forbids the step
(`NotAllowed`), 400 when the request itself is wrong (`Invalid`), 404 for the one answer
that must not reveal whether something exists (`NotFound`).

Each app roots its own refusals here (`profiles.workflow.SubmissionRefused(NotAllowed)`…),
so a caller may catch the app's root or the whole family.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.forms import BaseForm
    from django.http import HttpRequest


class Refused(Exception):  # noqa: N818 - a refusal is an answer, not a fault
    """A step the workflow refused; nothing was written.

    `code` is stable (API clients branch on it); `message` says why and what to do.
    Subclasses set `code` and `status` as class attributes; an instance may override them.
    """

    code: str = "refused"
    status: int = 409
    default_message: ClassVar[Any] = gettext_lazy("This step is not allowed now.")

    def __init__(self, message: Any = None, *, code: str | None = None, status: int | None = None):
        text = message if message not in (None, "") else self.default_message
        super().__init__(text)
        self.message = text
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(Refused):
    """The object's current state, or the caller's role, does not allow the step (409)."""

    code: str = "not_allowed"
    status = 409


class Invalid(Refused):
    """The request itself is wrong and can be corrected and sent again (400)."""

    code: str = "invalid"
    status = 400
    default_message = gettext_lazy("The request was refused; correct it and send it again.")


class NotFound(Refused):
    """The one answer that does not say whether the thing exists (404)."""

    code: str = "not_found"
    status = 404
    default_message = gettext_lazy("Not found.")


class NotAnOfficer(NotAllowed):
    """Only a company officer may do this (sign the agreement, submit the profile)."""

    code: str = "not_an_officer"
    default_message = gettext_lazy("Only a company officer can do this.")


def show(request: HttpRequest, refusal: Refused, form: BaseForm | None = None) -> None:
    """Show a refusal on a page: as the form's error when the page re-renders a form,
    otherwise as an error message on the next page."""
    if form is not None:
        form.add_error(None, str(refusal))
    else:
        messages.error(request, str(refusal))


def answer(refusal: Refused) -> dict[str, str]:
    """The API body of a refusal."""
    return {"code": refusal.code, "detail": str(refusal)}
