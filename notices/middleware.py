"""The header's task count is kept a short while (`notices.views.task_count`); what a
person changes themselves shows in it at once: a change they make (any successful
POST, PUT, PATCH or DELETE, page or API) forgets their kept count."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from notices.views import forget_task_count

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TaskCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                forget_task_count(user)
        return response
