from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def application_detail(request: HttpRequest, company_pk: int) -> HttpResponse:
    return HttpResponse("under construction")
