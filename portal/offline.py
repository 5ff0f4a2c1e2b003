"""What the field pages need to work without a connection (inspections/static/inspections/).

- `/sw.js`: the service worker, served from the portal's root so that it may answer for
  the field pages under /companies/ (a worker only controls pages below its own address).
  It is never cached by the browser's HTTP cache, so a new version reaches phones at once.
- `/offline/session`: whether the person is still signed in (and who), and a fresh CSRF
  token. An entry waits for the person who filled it in: on a shared phone, someone else
  signing in never sends it under their name. The
  send queue asks before it sends what waited on the phone: a page kept offline carries the
  token of the day it was kept, and an expired session must ask the person to sign in
  again instead of posting into the login page.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

WORKER = "inspections/sw.js"


def _worker_source() -> bytes:
    found = finders.find(WORKER)
    if isinstance(found, str):
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(WORKER) as handle:
        return bytes(handle.read())


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@never_cache
def session_state(request: HttpRequest) -> JsonResponse:
    signed_in = bool(request.user.is_authenticated)
    return JsonResponse(
        {
            "authenticated": signed_in,
            "user": request.user.pk if signed_in else None,
            "csrf": get_token(request),
        }
    )
