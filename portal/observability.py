"""What an operator watches: the request id in every log line, JSON logs, request metrics,
and the three operations endpoints (/healthz, /readyz, /metrics).

- `RequestIdMiddleware` runs first: it takes the caller's `X-Request-ID` when it is a sane
  token (a proxy or load balancer usually sets one) or makes one, keeps it in a context
  variable for the logging filter, answers it in the `X-Request-ID` header, and counts the
  request and its duration in Prometheus metrics labelled by route pattern (never by the
  raw path, which would make one time series per object id).
- `RequestIdFilter` adds `request_id` to every log record (`-` outside a request, e.g. in a
  task worker); `JsonFormatter` writes one JSON object a line (python-json-logger).
- `OperationsMiddleware` answers the three endpoints before Django checks the `Host` header,
  so a container health check or a Prometheus server that reaches the portal by an internal
  name or address (`web:8000`) is answered without that name in `ALLOWED_HOSTS`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Accepted from a caller: what proxies generate (uuid, hex, base64url) and nothing a log
# reader could mistake for another field or line.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")

HTTP_REQUESTS = Counter(
    "ctpat_http_requests",
    "HTTP requests answered, by method, route pattern and status code.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "ctpat_http_request_duration_seconds",
    "Time from the request reaching Django to the answer leaving it, by route pattern.",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def incoming_request_id(value: str | None) -> str:
    """The caller's id when it is a sane token, else a new one."""
    if value and _SANE_ID.match(value):
        return value
    return uuid.uuid4().hex


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (`companies/<int:company_pk>/seals/`), or a fixed word."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + str(match.route)
    if request.path_info in OPERATIONS_PATHS:
        return request.path_info
    return "unmatched"


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = incoming_request_id(request.headers.get(REQUEST_ID_HEADER))
        # Kept until the response is closed (`request_finished`, below): Django logs a 4xx/5xx
        # answer only after the middleware chain has returned it.
        request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = rid
        method = request.method if request.method in _METHODS else "OTHER"
        route = route_of(request)
        HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(method, route).observe(elapsed)
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: object) -> None:
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (attached to the handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time, level, logger, message, request_id, and any `extra`."""

    def __init__(self) -> None:
        super().__init__(
            "{asctime}{levelname}{name}{message}{request_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )


OPERATIONS_PATHS = ("/healthz", "/readyz", "/metrics")


class OperationsMiddleware:
    """Answers /healthz, /readyz and /metrics before the `Host` check (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in OPERATIONS_PATHS and request.method in ("GET", "HEAD"):
            from portal import views

            view = {
                "/healthz": views.healthz,
                "/readyz": views.readyz,
                "/metrics": views.metrics,
            }[request.path_info]
            return view(request)
        return self.get_response(request)
