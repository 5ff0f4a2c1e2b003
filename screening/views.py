"""The screening page: type a name, see the list hits with their explanations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.http import AuthenticatedHttpRequest
from screening.models import ListVersion
from screening.search import SearchForm, run_search


@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = run_search(form.cleaned_data) if form.is_valid() else None
    context = {
        "form": form,
        "result": result,
        "versions": result.versions if result else list(ListVersion.objects.active()),
    }
    return render(request, "screening/search.html", context)
