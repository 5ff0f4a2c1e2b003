"""Duplicate-submission guard for create forms.

Each create form carries a hidden `submission_key` (a UUID made when the form is
rendered). `claim()` records the key inside the view's transaction; a second POST with
the same key (a double click or a retried request) gets a redirect to the first result
instead of creating a second object. The unique constraint, not a read-then-write
check, is what makes concurrent retries safe.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from core.http import AuthenticatedHttpRequest
from core.models import SubmissionKey

FIELD = "submission_key"


def new_key() -> str:
    return str(uuid.uuid4())


def replay(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    """A redirect to the first result when this submission's key was already completed,
    else None. Views call it before validating the form: a retried create may no longer
    be valid (a duplicate identifier), and the user should see the first result, not an
    error about the object their own first click made."""
    try:
        key = uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None
    first = SubmissionKey.objects.filter(user=request.user, key=key).exclude(result_url="").first()
    return HttpResponseRedirect(first.result_url) if first is not None else None


def claim(request: AuthenticatedHttpRequest) -> SubmissionKey | HttpResponse | None:
    """Record this submission's key. Returns the key row to complete with `done()`,
    a redirect when the key was already used, or None when the form sent no key."""
    raw = request.POST.get(FIELD, "")
    try:
        key = uuid.UUID(raw)
    except ValueError:
        return None
    try:
        with transaction.atomic():
            return SubmissionKey.objects.create(user=request.user, key=key)
    except IntegrityError:
        first = SubmissionKey.objects.get(user=request.user, key=key)
        return HttpResponseRedirect(first.result_url or request.path)


def done(claimed: SubmissionKey | HttpResponse | None, url: str) -> None:
    if isinstance(claimed, SubmissionKey):
        claimed.result_url = url
        claimed.save(update_fields=["result_url"])


def save_once(
    request: AuthenticatedHttpRequest, form: Any, url_of: Callable[[Any], str]
) -> HttpResponse:
    """Save a valid create form once, even when the POST is repeated, then redirect to
    `url_of(saved object)` with a confirmation message."""
    with transaction.atomic():
        claimed = claim(request)
        if isinstance(claimed, HttpResponse):
            return claimed
        obj = form.save()
        url = url_of(obj)
        done(claimed, url)
    messages.success(request, _("Saved."))
    return HttpResponseRedirect(url)


API_HEADER = "Idempotency-Key"


def api_key(request: Any) -> uuid.UUID | None:
    """The UUID an API client sent in the `Idempotency-Key` header, or None. A header that
    is not a UUID is refused (400) rather than ignored, so a client never believes it is
    protected against duplicates when it is not."""
    raw = request.headers.get(API_HEADER, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({API_HEADER: [_("Send a UUID as the idempotency key.")]}) from None


def claim_api(request: Any) -> SubmissionKey | str | None:
    """`claim()` for API writes, keyed by the `Idempotency-Key` header. Returns the key row
    to complete with `done(row, url of the result)`, the stored result URL (possibly empty
    while the first request is still running) when the key was used before, or None when
    the request sent no key. Call it inside the write's transaction."""
    key = api_key(request)
    if key is None:
        return None
    try:
        with transaction.atomic():
            return SubmissionKey.objects.create(user=request.user, key=key)
    except IntegrityError:
        return SubmissionKey.objects.get(user=request.user, key=key).result_url
