"""Project-level pages: the home redirect, the operations endpoints (liveness, readiness,
metrics; docs/observability.md) and the 404 answer."""

from __future__ import annotations

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views import defaults
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from core.clientip import client_address
from portal.health import PortalCollector, readiness


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    return redirect("companies:company-list")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database or cache, so a slow database
    never gets healthy web processes restarted (that is /readyz's business)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache, task backlog and watchlists; 503 naming what fails."""
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)


# The portal's own figures, read from the database at each scrape, in a registry of their
# own (the request figures live in prometheus_client's default one, or in its
# multiprocess files).
_PORTAL_REGISTRY = CollectorRegistry()
_PORTAL_REGISTRY.register(PortalCollector())


def metrics_allowed(request: HttpRequest) -> bool:
    """Each protection that is configured must pass: the client's address in
    METRICS_ALLOWED_IPS (addresses or networks), the METRICS_BEARER_TOKEN sent as
    `Authorization: Bearer …`. Neither configured: open (docs/observability.md)."""
    networks = settings.METRICS_ALLOWED_NETWORKS
    if networks:
        address = client_address(request)
        if address is None or not any(
            ipaddress.ip_address(address) in network for network in networks
        ):
            return False
    token = settings.METRICS_BEARER_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return False
    return True


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format: this process's (or, under gunicorn with
    PROMETHEUS_MULTIPROC_DIR, every worker's) request figures and the portal's figures."""
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    body = generate_latest(registry) + generate_latest(_PORTAL_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page; under /api/ the JSON body every API 404 has (`{"detail": ...}`), so an
    address that matches no route (`/api/v1/seals/-1/`) answers like a missing object."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
