"""The API token page: several tokens per person, each shown once, each revocable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import TokenForm
from accounts.models import APIToken
from accounts.tokens import issue_token, revoke
from core import idempotency
from core.http import AuthenticatedHttpRequest


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed  # a double click: the first answer showed the token
            _token, new_token = issue_token(
                request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires=form.expires_at(),
            )
            idempotency.done(claimed, reverse("accounts:token-list"))
        form = TokenForm()
    tokens = APIToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": tokens, "new_token": new_token, "form": form},
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Another person's token answers 404, as if it did not exist.
    token = get_object_or_404(APIToken, user=request.user, pk=pk)
    revoke(token, reason="revoked by its owner")
    messages.success(request, _("API token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:token-list")
