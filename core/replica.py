"""The read-replica option (DATABASE_REPLICA_URL): the program office's read-only pages
read from a PostgreSQL replica, so its dashboards and lists do not load the primary.

Only GET and HEAD requests to a URL name listed in DATABASE_REPLICA_VIEWS read from the
replica (`ReplicaMiddleware` marks them); every write, every other page, every task and
command reads and writes the primary. A replica lags a little behind: the listed pages
only show state, they never act on what they read. Without DATABASE_REPLICA_URL the router
is not installed and the middleware does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("ctpat_reading_replica", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Within this block, reads go to the replica (if one is configured)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    """Reads inside `reads_from_replica` go to the replica; everything else to default."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if _reading_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica follows the primary's schema by replication


class ReplicaMiddleware:
    """Runs GET/HEAD requests to DATABASE_REPLICA_VIEWS reading from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA in settings.DATABASES and request.method in ("GET", "HEAD"):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name in settings.DATABASE_REPLICA_VIEWS:
                with reads_from_replica():
                    return self.get_response(request)
        return self.get_response(request)
