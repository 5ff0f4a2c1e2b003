"""Uploaded files are served only through a permission check.

No uploaded file is ever reachable under `MEDIA_URL` (not even with `DEBUG`): every model
field that stores an upload is registered here, from its app's `AppConfig.ready()`, with
the tenancy action a user needs to read it (`register`). Two routes serve a file, both
through `serve_for_user`:

- the generic `files/<app_label>.<model>/<pk>/<field>/` (`core:file`; `protected_url`,
  the `{% protected_file_url %}` tag and `ProtectedFileURLField` for serializers build it);
- an app's own download view, which calls `serve_for_user` with its extra lookups.

Either way the object is fetched with `get_for_user_or_404` and the registered action, so
another company's file is a 404, and an anonymous visitor is sent to sign in. A field
may add a stricter rule (personnel's signed copies: managers only, every access logged)
through `on_access`. `test_every_file_field_is_registered` fails when a new upload field
is added without registering it.

The answer (`file_response`) never lets the browser guess the type (`nosniff`), is never
cached (`private, no-store`), and is shown inline only for PNG/JPEG/GIF/WebP images and
PDF; any other type is an attachment. `CTPAT_FILE_SENDFILE` says who sends the bytes:
Django itself (""), the proxy (`x-accel-redirect` under `CTPAT_FILE_ACCEL_PREFIX`, or
`x-sendfile` with the absolute path), or object storage (`redirect`: a redirect to the
storage's own, short-lived URL).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.tenancy import get_for_user_or_404, roles_allowing

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

# Types a browser may show in the page: they cannot run script in our origin. (SVG and
# HTML can, so they are never inline.)
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
SENDFILE_MODES = ("", "x-accel-redirect", "x-sendfile", "redirect")

OnAccess = Callable[[HttpRequest, Any], None]


@dataclass(frozen=True)
class ProtectedField:
    """One upload field and the rule for reading it.

    `action` is the `core.tenancy` action the user's role must allow; `on_access`, when
    given, runs after that check and before the file is sent: it may raise `Http404` to
    refuse, or record the access."""

    model: type[models.Model]
    field: str
    action: str = "view"
    on_access: OnAccess | None = None

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}/{self.field}"


_REGISTRY: dict[str, ProtectedField] = {}


def register(
    model: type[models.Model],
    field: str,
    *,
    action: str = "view",
    on_access: OnAccess | None = None,
) -> ProtectedField:
    """Declare that `model.field` holds uploads readable with `action`. Call it from the
    app's `AppConfig.ready()`. A misspelt field or action fails at start-up."""
    if not isinstance(model._meta.get_field(field), models.FileField):
        raise ImproperlyConfigured(f"{model._meta.label}.{field} is not a FileField")
    if not hasattr(model.objects, "for_user"):  # type: ignore[attr-defined]
        raise ImproperlyConfigured(f"{model._meta.label} has no tenant queryset (for_user)")
    roles_allowing(action)
    entry = ProtectedField(model, field, action, on_access)
    _REGISTRY[entry.key] = entry
    return entry


def registered() -> dict[str, ProtectedField]:
    """Every registered field, by `app_label.model/field`."""
    return dict(_REGISTRY)


def lookup(model: type[models.Model] | str, field: str) -> ProtectedField:
    """The registration of `model.field`; `Http404` when there is none (the generic URL
    must never serve a field nobody declared)."""
    label = model if isinstance(model, str) else model._meta.label_lower
    entry = _REGISTRY.get(f"{label.lower()}/{field}")
    if entry is None:
        raise Http404
    return entry


# -- the answer -----------------------------------------------------------------------


def describe(obj: models.Model, field: str) -> tuple[str, str]:
    """(name to download as, content type) of the file in `obj.field`.

    A model that recorded the name and the type checked on upload (`original_name` and
    `content_type`, as `core.uploads.StoredFile` does) is served with those; otherwise
    the stored file's own name, and a type guessed from its extension."""
    stored: FieldFile = getattr(obj, field)
    original = getattr(obj, "original_name", "")
    checked_type = getattr(obj, "content_type", "")
    name = original or PurePosixPath(stored.name or "file").name
    if isinstance(checked_type, str) and checked_type and original:
        return name, checked_type
    guessed, _encoding = mimetypes.guess_type(name)
    return name, guessed or "application/octet-stream"


def file_response(
    stored: FieldFile, *, filename: str, content_type: str, inline: bool = True
) -> HttpResponseBase:
    """The HTTP answer carrying `stored`, sent the way `CTPAT_FILE_SENDFILE` says.

    Guarantees: `X-Content-Type-Options: nosniff`, `Cache-Control: private, no-store`, and
    `Content-Disposition: attachment` unless `inline` is asked and the type is one in
    `INLINE_TYPES`. With a proxy mode the body is empty and the proxy reads the file."""
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    mode = getattr(settings, "CTPAT_FILE_SENDFILE", "")
    response: HttpResponseBase
    if mode == "":
        response = FileResponse(
            stored.open("rb"),
            as_attachment=disposition == "attachment",
            filename=filename,
            content_type=content_type,
        )
    elif mode == "redirect":
        # Object storage (S3-compatible) answers the storage's own signed, short-lived
        # URL; the bytes never pass through the portal.
        response = HttpResponseRedirect(stored.storage.url(stored.name))
    else:
        response = HttpResponse(b"", content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = getattr(settings, "CTPAT_FILE_ACCEL_PREFIX", "/protected-media/")
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(stored.name or "")
        elif mode == "x-sendfile":
            response["X-Sendfile"] = stored.path
        else:
            raise ImproperlyConfigured(
                f"CTPAT_FILE_SENDFILE={mode!r}: use one of {', '.join(map(repr, SENDFILE_MODES))}"
            )
        response["Content-Disposition"] = _disposition(disposition, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _disposition(kind: str, filename: str) -> str:
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        return f"{kind}; filename*=utf-8''{quote(filename)}"
    escaped = filename.replace("\\", "\\\\").replace('"', r"\"")
    return f'{kind}; filename="{escaped}"'


def serve(request: HttpRequest, entry: ProtectedField, obj: models.Model) -> HttpResponseBase:
    """Send `obj`'s file once the caller has fetched `obj` with `entry.action`: runs the
    field's extra rule, then answers the file (404 when the field is empty)."""
    stored: FieldFile = getattr(obj, entry.field)
    if not stored:
        raise Http404
    if entry.on_access is not None:
        entry.on_access(request, obj)
    filename, content_type = describe(obj, entry.field)
    return file_response(stored, filename=filename, content_type=content_type)


def serve_for_user(
    request: HttpRequest, model: type[models.Model], field: str, **lookup_kwargs: Any
) -> HttpResponseBase:
    """Fetch the object with the registered action for `request.user` (404 for another
    company's object or a role without that action) and send its file."""
    entry = lookup(model, field)
    obj = get_for_user_or_404(model, request.user, entry.action, **lookup_kwargs)
    return serve(request, entry, obj)


# -- the generic route ----------------------------------------------------------------


def _api_user(request: HttpRequest) -> Any:
    """The user an `Authorization` header names, authenticated exactly as the API does
    (so a link from an API answer works for the same token)."""
    # Imported here: DRF (with requests, yaml, psycopg) costs a second at every start-up,
    # and this module is imported by AppConfig.ready() of every app with uploads.
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    classes: list[Any] = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    drf_request = Request(request, authenticators=[cls() for cls in classes])
    return drf_request.user


@require_safe
def download(request: HttpRequest, label: str, pk: int, field: str) -> HttpResponseBase:
    """`files/<app_label>.<model>/<pk>/<field>/`: any registered upload, for whoever the
    registration allows. Anonymous visitors are sent to sign in; API clients may send
    their token in the `Authorization` header."""
    if not request.user.is_authenticated and "HTTP_AUTHORIZATION" in request.META:
        from rest_framework import exceptions as drf_exceptions  # see _api_user

        try:
            request.user = _api_user(request)
        except drf_exceptions.APIException as exc:
            return HttpResponse(str(exc.detail), status=401, content_type="text/plain")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = lookup(label, field)
    obj = get_for_user_or_404(entry.model, request.user, entry.action, pk=pk)
    return serve(request, entry, obj)


def protected_url(obj: models.Model, field: str) -> str:
    """The path that serves `obj.field` through the permission check ("" when empty)."""
    if not getattr(obj, field):
        return ""
    entry = lookup(type(obj), field)
    return reverse("core:file", args=[entry.model._meta.label_lower, obj.pk, field])


def absolute_url(obj: models.Model, field: str, request: HttpRequest | None) -> str | None:
    """`protected_url` as an absolute address (for API answers and e-mails); None when
    the field is empty."""
    path = protected_url(obj, field)
    if not path:
        return None
    return request.build_absolute_uri(path) if request else settings.CTPAT_SITE_URL + path


def __getattr__(name: str) -> Any:
    # The API field lives in core.file_fields (it needs DRF); kept importable from here.
    if name == "ProtectedFileURLField":
        from core.file_fields import ProtectedFileURLField

        return ProtectedFileURLField
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
