"""Criteria pages: the criteria in force (filtered by business type, category and level),
one criterion with its provenance, the catalogue versions, and the admin's import page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue import importers
from catalogue.filters import CriterionFilter
from catalogue.forms import CatalogueConfirmForm, CatalogueUploadForm
from catalogue.models import Catalogue, Criterion, localized_name
from companies.choices import BusinessType
from companies.context_processors import SESSION_KEY
from companies.models import Company
from core import idempotency
from core.http import AuthenticatedHttpRequest
from core.importing import template_response


def _active_business_type(request: AuthenticatedHttpRequest) -> str:
    """The business type of the company the user is working on, if any."""
    company_pk = request.session.get(SESSION_KEY)
    if not company_pk:
        return ""
    company = Company.objects.for_user(request.user).filter(pk=company_pk).first()
    return company.business_type if company else ""


@login_required
def criterion_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The criteria of the catalogue in force (or `?catalogue=`), for `?type=` or, when
    the parameter is absent, for the active company's business type."""
    params = QueryDict(mutable=True)
    params["catalogue"] = request.GET.get("catalogue") or str(
        getattr(Catalogue.objects.latest_published(), "pk", "")
    )
    params["business_type"] = request.GET.get("type", _active_business_type(request))
    params["category"] = request.GET.get("category", "")
    params["requirement"] = request.GET.get("requirement", "")
    filterset = CriterionFilter(
        params, queryset=Criterion.objects.filter(catalogue__published=True)
    )
    filterset.is_valid()
    catalogue = filterset.form.cleaned_data.get("catalogue")
    criteria = list(filterset.qs) if catalogue else []
    business_type = filterset.form.cleaned_data.get("business_type") or ""
    context: dict[str, Any] = {
        "catalogue": catalogue,
        "catalogues": Catalogue.objects.published(),
        "categories": [
            (number, localized_name(name), localized_name(focus))
            for number, name, focus in (catalogue.categories() if catalogue else [])
        ],
        "criteria": criteria,
        "counts": _level_counts(criteria, business_type),
        "errors": filterset.errors,
        "business_type": business_type,
        "business_type_label": BusinessType(business_type).label if business_type else "",
        "business_types": BusinessType.choices,
        "selected": params,
    }
    return render(request, "catalogue/criterion_list.html", context)


def _level_counts(criteria: list[Criterion], business_type: str) -> dict[str, int]:
    field = "effective_requirement" if business_type else "requirement"
    levels = [getattr(c, field) for c in criteria]
    return {"total": len(levels), "must": levels.count("must"), "should": levels.count("should")}


@login_required
def criterion_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.filter(catalogue__published=True).select_related("catalogue"), pk=pk
    )
    rows = [
        {
            "value": value,
            "label": label,
            "applies": criterion.applies_to(value),
            "requirement": criterion.requirement_for(value),
            "overridden": value in criterion.requirement_overrides,
            "verified": criterion.is_verified_for(value),
        }
        for value, label in BusinessType.choices
    ]
    active = _active_business_type(request)
    return render(
        request,
        "catalogue/criterion_detail.html",
        {"criterion": criterion, "applicability": rows, "active_type": active},
    )


@login_required
def catalogue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    catalogues = (
        Catalogue.objects.published()
        .annotate(criteria_count=Count("criteria"))
        .select_related("imported_by")
        .order_by("-effective_date", "-imported_at")
    )
    current = Catalogue.objects.latest_published()
    return render(
        request, "catalogue/catalogue_list.html", {"catalogues": catalogues, "current": current}
    )


@login_required
def catalogue_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deployment admins only (others get 404): upload, see the validation, confirm."""
    if not request.user.is_staff:
        raise Http404
    if request.method == "POST" and "content" in request.POST:
        return _confirm_import(request)
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data, filename = form.content()
        context["validation"] = importers.validate(data, filename, form.metadata())
        context["confirm"] = CatalogueConfirmForm.for_preview(form, data, filename)
    return render(request, "catalogue/catalogue_import.html", context)


@login_required
def catalogue_import_template(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Deployment admins only: the header row of a criteria file, in the reader's language."""
    if not request.user.is_staff:
        raise Http404
    return template_response(importers.CriteriaImporter, kind)


def _confirm_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    confirm = CatalogueConfirmForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, _("The preview could not be confirmed; upload the file again."))
        return redirect("catalogue:catalogue-import")
    data, filename = confirm.content_bytes()
    try:
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            result = importers.import_catalogue(data, filename, confirm.metadata(), request.user)
            url = result.catalogue.get_absolute_url()
            idempotency.done(claimed, url)
    except importers.CatalogueImportError:
        # Something changed since the preview (e.g. the version was loaded meanwhile):
        # show the fresh validation instead of importing.
        validation = importers.validate(data, filename, confirm.metadata())
        return render(
            request,
            "catalogue/catalogue_import.html",
            {"form": CatalogueUploadForm(), "validation": validation},
        )
    if result.created:
        messages.success(
            request,
            _("%(catalogue)s is imported and published.") % {"catalogue": result.catalogue},
        )
    else:
        messages.info(
            request,
            _("%(catalogue)s was already loaded from this file; nothing changed.")
            % {"catalogue": result.catalogue},
        )
    return redirect(url)
