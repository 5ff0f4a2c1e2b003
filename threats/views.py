"""Threat rating pages: the grid of places × categories, add / edit / delete a rating,
a country's ratings with their history, and the two-step CSV import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Company
from core import idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.importing import template_response, upload_page
from core.refusals import NotAllowed, Refused
from core.tenancy import get_for_user_or_404
from threats import importing, workflow
from threats.forms import ThreatRatingForm
from threats.models import Category, ThreatImport, ThreatRating
from threats.places import country_name, find_country, region_name
from threats.services import threats_from_ratings


@dataclass(frozen=True)
class Cell:
    category: str
    level: str | None  # the place's own rating
    inherited: str | None  # the whole country's level, shown on a region row without its own
    stale: bool
    url: str  # edit the rating, or add one for an empty cell ("" when the user may not)
    title: str  # source and date of the rating


@dataclass(frozen=True)
class Row:
    country: str
    region: str
    name: str
    level: str | None
    stale: bool
    cells: list[Cell]


def _ratings(request: AuthenticatedHttpRequest, company: Company, action: str) -> Any:
    return ThreatRating.objects.for_user(request.user, action).filter(company=company)


def _can_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()


def _rows(company: Company, ratings: list[ThreatRating], can_edit: bool) -> list[Row]:
    """One row per rated place. URLs are built from the app's own two prefixes (the grid
    may hold thousands of cells, and one `reverse()` per cell is most of its cost)."""
    today = timezone.localdate()
    own: dict[tuple[str, str], dict[str, ThreatRating]] = {}
    for rating in ratings:
        own.setdefault((str(rating.country), rating.region), {})[rating.category] = rating
    threats = threats_from_ratings(ratings, [(p, p) for p in own], today)
    base = reverse("threats:rating-grid", args=[company.pk])
    create = reverse("threats:rating-create", args=[company.pk])
    rows = []
    for place, by_category in own.items():
        country, region = place
        picture = threats[place]
        cells = []
        for category in Category.values:
            mine = by_category.get(category)
            if mine is not None:
                url = f"{base}{mine.pk}/edit/" if can_edit else ""
                title = f"{mine.source} · {mine.rated_on.isoformat()}"
                cells.append(Cell(category, mine.level, None, mine.is_stale(today), url, title))
                continue
            query = urlencode({"country": country, "region": region, "category": category})
            url = f"{create}?{query}" if can_edit else ""
            cells.append(Cell(category, None, picture.by_category.get(category), False, url, ""))
        name = country_name(country)
        if region:
            name = f"{name} · {region_name(region)}"
        rows.append(Row(country, region, name, picture.level, picture.stale, cells))
    return sorted(rows, key=lambda r: (country_name(r.country), r.region != "", r.name))


@login_required
def rating_grid(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    ratings = list(_ratings(request, company, "view"))
    can_edit = _can_edit(request, company)
    # Building every row is cheap; rendering thousands of cells is not, so pages of 100.
    page = Paginator(_rows(company, ratings, can_edit), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "threats/rating_grid.html",
        {
            "company": company,
            "page": page,
            "rows": page.object_list,
            "categories": Category.choices,
            "can_edit": can_edit,
            "stale_count": sum(1 for r in ratings if r.is_stale()),
        },
    )


@login_required
def rating_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    initial = {k: request.GET[k] for k in ("country", "region", "category") if k in request.GET}
    form = ThreatRatingForm(
        request.POST if request.method == "POST" else None, company=company, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            rating = workflow.save_rating(form.save(commit=False), request.user)
            idempotency.done(claimed, rating.get_absolute_url())
        messages.success(request, _("Saved."))
        return redirect(rating)
    return render(
        request, "threats/rating_form.html", {"company": company, "form": form, "creating": True}
    )


@login_required
def rating_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    rating = get_for_user_or_404(ThreatRating, request.user, "edit", pk=pk, company_id=company_pk)
    form = ThreatRatingForm(
        request.POST if request.method == "POST" else None,
        instance=rating,
        company=rating.company,
    )
    if request.method == "POST" and form.is_valid():
        rating = workflow.save_rating(form.save(commit=False), request.user)
        messages.success(request, _("Saved."))
        return redirect(rating)
    return render(
        request,
        "threats/rating_form.html",
        {"company": rating.company, "form": form, "rating": rating},
    )


@login_required
def rating_delete(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    rating = get_for_user_or_404(ThreatRating, request.user, "edit", pk=pk, company_id=company_pk)
    if request.method == "POST":
        url = rating.get_absolute_url()
        with transaction.atomic():
            rating.delete()
        messages.success(request, _("Rating deleted; it stays in the history."))
        return redirect(url)
    return render(
        request, "threats/rating_delete.html", {"company": rating.company, "rating": rating}
    )


@login_required
def country_detail(
    request: AuthenticatedHttpRequest, company_pk: int, country: str
) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    code = find_country(country)
    if code is None or code != country.upper():
        raise Http404
    ratings = list(
        _ratings(request, company, "view").filter(country=code).select_related("rated_by")
    )
    history = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ThreatRating),
            additional_data__company_id=company.pk,
            additional_data__country=code,
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "threats/country_detail.html",
        {
            "company": company,
            "country": code,
            "country_name": country_name(code),
            "ratings": [(r, r.is_stale(today)) for r in ratings],
            "page": page,
            "can_edit": _can_edit(request, company),
        },
    )


@login_required
def template_csv(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The header row of a ratings file, and nothing else: the product supplies no rating."""
    get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    return template_response(importing.ThreatImporter, "csv")


@login_required
def import_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    importer = importing.ThreatImporter(company)
    return upload_page(request, importer, ThreatImport, "threats/import_form.html", company=company)


@login_required
def import_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    batch = get_for_user_or_404(ThreatImport, request.user, "edit", pk=pk, company_id=company_pk)
    preview = [
        {
            **row,
            "country_name": country_name(row["country"]),
            "region_name": region_name(row["region"]),
            "category_label": Category(row["category"]).label,
        }
        for row in batch.rows[:500]
    ]
    return render(
        request,
        "threats/import_detail.html",
        {
            "company": batch.company,
            "batch": batch,
            "preview": preview,
            "row_count": len(batch.rows),
        },
    )


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    batch = get_for_user_or_404(ThreatImport, request.user, "edit", pk=pk, company_id=company_pk)
    try:
        batch = workflow.confirm_import(batch, request.user)
    except NotAllowed as refusal:
        if refusal.code == "already_imported":
            messages.info(request, str(refusal))
        else:
            refusals.show(request, refusal)
        return redirect(batch)
    except Refused as refusal:
        refusals.show(request, refusal)
        return redirect(batch)
    messages.success(request, _("Ratings imported."))
    return redirect("threats:rating-grid", company_pk=batch.company_id)
