"""Project-level pages: the home redirect, the health check and the 404 answer."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views import defaults


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    return redirect("companies:company-list")


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: answers once the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page; under /api/ the JSON body every API 404 has (`{"detail": ...}`), so an
    address that matches no route (`/api/v1/seals/-1/`) answers like a missing object."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
