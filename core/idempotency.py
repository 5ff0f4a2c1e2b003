"""Duplicate-submission guard for create forms.

Each create form carries a hidden `submission_key` (a UUID made when the form is
rendered). `claim()` records the key inside the view's transaction; a second POST with
the same key (a double click or a retried request) gets a redirect to the first result
instead of creating a second object. The unique constraint, not a read-then-write
check, is what makes concurrent retries safe.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException

from core.http import AuthenticatedHttpRequest
from core.models import ApiIdempotencyKey, SubmissionKey

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

        raise ValidationError(
            {
                API_HEADER: [
                    _("“%(value)s” is not a UUID; send a UUID as the idempotency key.")
                    % {"value": raw[:100]}
                ]
            }
        ) from None


class KeyReused(APIException):
    """The key was first sent with another request (another body or another endpoint)."""

    status_code = 422
    default_code = "idempotency_key_reused"


class KeyInProgress(APIException):
    """The first request with this key has not finished."""

    status_code = 409
    default_code = "idempotency_key_in_progress"


class Replay(Exception):  # noqa: N818 - not an error: it carries the first answer
    """Raised by `claim_request()` when the key already has an answer to give back."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__("replay")
        self.response = response


def _canonical(value: Any) -> Any:
    """A JSON-able form of parsed request data that does not depend on key order or on how
    the client encoded the form; files count by name and content."""
    if isinstance(value, QueryDict):
        return {k: [_canonical(v) for v in value.getlist(k)] for k in sorted(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    return value


def fingerprint(request: Any) -> str:
    """sha256 of the method, path and canonical body of a DRF request."""
    body = json.dumps(
        [request.method, request.path, _canonical(request.data)],
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _reused() -> KeyReused:
    return KeyReused(
        {
            "detail": _(
                "This idempotency key was used for a different request. Send a new key "
                "for a new request."
            ),
            "code": KeyReused.default_code,
        }
    )


def claim_request(request: Any) -> ApiIdempotencyKey | None:
    """Claim the request's `Idempotency-Key` for its user, inside the caller's transaction.

    Guaranteed: returns the new key row (complete it with `settle()`), or None when the
    request sent no key; raises `Replay` with the first answer when the same request was
    answered before, `KeyReused` (422) when the key came with another request,
    `KeyInProgress` (409) when the first request has not finished, and a 400 for a key
    that is not a UUID. The unique constraint decides between parallel requests: the second
    one waits for the first transaction and then replays its answer.
    """
    key = api_key(request)
    if key is None or not getattr(request.user, "is_authenticated", False):
        return None
    digest = fingerprint(request)
    try:
        with transaction.atomic():
            return ApiIdempotencyKey.objects.create(user=request.user, key=key, fingerprint=digest)
    except IntegrityError:
        first = ApiIdempotencyKey.objects.get(user=request.user, key=key)
    if first.fingerprint != digest:
        raise _reused()
    if first.status is None:
        raise KeyInProgress(
            {
                "detail": _("A request with this idempotency key is still running."),
                "code": KeyInProgress.default_code,
            }
        )
    response = HttpResponse(first.content, status=first.status, content_type=first.content_type)
    if first.location:
        response["Location"] = first.location
    response["Idempotent-Replayed"] = "true"
    raise Replay(response)


def settle(claimed: ApiIdempotencyKey | None, response: HttpResponseBase) -> None:
    """Keep a successful first answer with its key; forget the key after a refusal, so the
    client may correct the request and send it again with the same key."""
    if claimed is None:
        return
    if not 200 <= response.status_code < 300 or response.streaming:
        claimed.delete()
        return
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    assert isinstance(response, HttpResponse)
    try:
        content = response.content.decode(response.charset or "utf-8")
    except UnicodeDecodeError:  # a binary answer (a file) is not kept; the key is freed
        claimed.delete()
        return
    claimed.status = response.status_code
    claimed.content = content
    claimed.content_type = response.get("Content-Type", "")
    claimed.location = response.get("Location", "")[:500]
    claimed.save(update_fields=["status", "content", "content_type", "location"])


class IdempotentPostMixin:
    """Makes every POST of an API view honour the `Idempotency-Key` header.

    A retry with the same key and body gets the first answer (same status and body) and
    makes nothing new; the same key with another body is refused with 422; a malformed
    key with 400. The claim and the write share one transaction, so a failed request leaves
    no key behind and a parallel retry waits for the first answer instead of duplicating.
    """

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method != "POST" or not request.headers.get(API_HEADER, "").strip():
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        self._idempotency_claim: ApiIdempotencyKey | None = None
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            settle(self._idempotency_claim, response)
        return response

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        allowed = getattr(self, "http_method_names", ())
        if request.method == "POST" and hasattr(self, "_idempotency_claim") and "post" in allowed:
            self._idempotency_claim = claim_request(request)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, Replay):
            return exc.response
        return super().handle_exception(exc)  # type: ignore[misc]


def header_parameter() -> Any:
    """The OpenAPI description of the header, for POST operations of idempotent views."""
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(
        API_HEADER,
        str,
        location=OpenApiParameter.HEADER,
        required=False,
        description=(
            "A UUID chosen by the client. A retry with the same key and body returns the "
            "first answer and creates nothing new; the same key with another body is "
            "refused with 422 (`idempotency_key_reused`); 409 while the first request runs."
        ),
    )


def schema_parameters(auto_schema: Any) -> list[Any]:
    """Extra OpenAPI parameters for one operation: the header on POST operations of views
    that honour it. For a project AutoSchema's `get_override_parameters()`."""
    view = getattr(auto_schema, "view", None)
    if getattr(auto_schema, "method", "").upper() == "POST" and isinstance(
        view, IdempotentPostMixin
    ):
        return [header_parameter()]
    return []
