"""Project-level pages: each role's home (portal/homes.py), the global search
(portal/search.py), the operations endpoints (liveness, readiness, metrics;
docs/observability.md) and the 404 answer."""

from __future__ import annotations

import hmac
import ipaddress
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from companies.context_processors import SESSION_KEY
from companies.models import Company, Membership
from core import reminders
from core.clientip import client_address
from core.exports import safe_writer
from core.http import AuthenticatedHttpRequest
from core.lists import Header, cell, col
from core.tenancy import ROLE_ACTIONS, get_for_user_or_404
from portal import homes, navigation
from portal import search as global_search
from portal.health import PortalCollector, readiness

PORTFOLIO_COLUMNS = (
    col("name", _("Client")),
    col("status", _("Status")),
    col("tier", _("Tier")),
    col("readiness", _("Readiness")),
    col("due", _("Next due")),
    col("overdue", _("Overdue")),
    col("alerts", _("Open alerts")),
)
PORTFOLIO_CSV = (
    ("client", "company.legal_name"),
    ("account", "company.account_number"),
    ("status", "status"),
    ("tier", "tier"),
    ("readiness", "readiness"),
    ("next_due", "next_due"),
    ("overdue", "overdue"),
    ("open_alerts", "open_alerts"),
)


def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: see portal/homes.py for who sees what."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    user: Any = request.user
    roles = dict(Membership.objects.filter(user=user).order_by().values_list("company_id", "role"))
    kind = homes.home_kind(user, roles)
    if kind == "program_office":
        today = timezone.localdate()
        office = {
            "queue_only": _no_dashboard(),
            "work": homes.office_work(user, today),
            "today": today,
        }
        return render(request, "portal/home_program_office.html", office)
    if kind == "none":
        return render(request, "portal/home_none.html")
    if kind == "consultant":
        return _consultant_home(request, user)
    if kind == "field":
        company = Company.objects.get(pk=homes.field_company(user, roles) or 0)
        _work_on(request, company)
        return render(
            request,
            "portal/home_field.html",
            {"company": company, "field": homes.field_home(company), "today": timezone.localdate()},
        )
    company = _home_company(request, roles, kind)
    _work_on(request, company)
    role = roles[company.pk]
    path = homes.program_path(company)
    context: dict[str, Any] = {
        "company": company,
        "role": role,
        "path": path,
        "viewer": "edit" not in ROLE_ACTIONS[role],
        "other_companies": len(roles) - 1,
    }
    if not context["viewer"]:  # a viewer reads status and readiness only
        today = timezone.localdate()
        context["counts"] = homes.open_counts(company, today)
        # The first ten of this company's (each provider asks for ten, earliest due first),
        # and how many wait in the others when there are others.
        context["tasks"] = reminders.tasks_for(user, today, companies=[company.pk], limit=10)
        others = [pk for pk in roles if pk != company.pk]
        context["tasks_elsewhere"] = (
            len(reminders.tasks_for(user, today, companies=others)) if others else 0
        )
        context["today"] = today
    return render(request, "portal/home_member.html", context)


def _work_on(request: HttpRequest, company: Company) -> None:
    """The menu shows the pages of the company the home is about."""
    if request.session.get(SESSION_KEY) != company.pk:
        request.session[SESSION_KEY] = company.pk


def _no_dashboard() -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse("certification:dashboard")
    except NoReverseMatch:
        return True
    return False


def _home_company(request: HttpRequest, roles: dict[int, str], kind: str) -> Company:
    """The company last worked on if the user belongs to it, else one where they manage."""
    pk = request.session.get(SESSION_KEY)
    if pk not in roles:
        ranked = sorted(roles, key=lambda c: (roles[c] not in ("officer", "admin"), c))
        pk = ranked[0]
    # The program path reads the application and the certification through the company.
    return Company.objects.select_related("application", "certification").get(pk=pk)


def _consultant_home(request: HttpRequest, user: Any) -> HttpResponse:
    clients, sort = homes.sort_clients(homes.portfolio(user), request.GET.get("sort", ""))
    for client in clients:  # opened at the section last worked in
        client.url = navigation.section_url(request, client.company.pk, client.role)
    if request.GET.get("export") == "csv":
        return _portfolio_csv(clients)
    headers = []
    for column in PORTFOLIO_COLUMNS:
        current = sort.removeprefix("-") == column.key
        descending = sort.startswith("-")
        target = column.key if (not current or descending) else f"-{column.key}"
        aria = ("descending" if descending else "ascending") if current else ""
        headers.append(Header(column.label, f"?sort={target}", aria))
    return render(
        request,
        "portal/home_consultant.html",
        {"clients": clients, "headers": headers, "sort": sort},
    )


def _portfolio_csv(clients: list[homes.Client]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portfolio.csv"'
    writer = safe_writer(response)
    writer.writerow([h for h, _p in PORTFOLIO_CSV])
    for client in clients:
        writer.writerow([cell(client, p) for _h, p in PORTFOLIO_CSV])
    return response


@login_required
def search(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Search the company's partners, criteria, inspections, seals, incidents and
    corrective actions (portal/search.py)."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    query = request.GET.get("q", "").strip()
    error = ""
    if len(query) > global_search.MAX_LENGTH:
        error = str(_("Search: type at most %(n)s characters.") % {"n": global_search.MAX_LENGTH})
    found = global_search.search(request.user, company, query) if query and not error else []
    return render(
        request,
        "portal/search.html",
        {"company": company, "query": query, "search_query": query, "found": found,
         "error": error},
    )  # fmt: skip


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
