"""The API token page: one token per person, shown once it is created, revocable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts.forms import TokenForm
from core.http import AuthenticatedHttpRequest


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            token = Token.objects.create(user=request.user)
        new_key = token.key
    return render(
        request, "accounts/token_list.html", {"token": token, "new_key": new_key, "form": form}
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    Token.objects.filter(user=request.user).delete()
    messages.success(request, _("API token revoked."))
    return redirect("accounts:token-list")
