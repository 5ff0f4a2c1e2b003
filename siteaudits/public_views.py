"""The partner's side of a site audit: the corrective actions the visit raised, answered
from the e-mailed link without an account, following the questionnaire links' pattern
(hashed 256-bit token, expiry, replaced on re-issue, a request allowance per client
address, one neutral answer for every link that opens nothing, no caching or referrer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from core import ratelimit
from core.refusals import Refused
from siteaudits import workflow
from siteaudits.choices import ReportLanguage
from siteaudits.forms import ReplyForm
from siteaudits.models import AuditItem, PartnerReply, SiteAudit

LANG_KEY = "siteaudit-lang"


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _allowed(request: HttpRequest) -> bool:
    limit, window = getattr(settings, "SITE_AUDIT_LINK_RATE", (300, 3600))
    return ratelimit.allow_client("siteaudits:link", request, int(limit), int(window))


def _language(request: HttpRequest, audit: SiteAudit) -> str:
    chosen = request.GET.get("lang", "")
    if chosen in ReportLanguage.values:
        request.session[LANG_KEY] = chosen
    return str(request.session.get(LANG_KEY) or audit.language)


def reply(request: HttpRequest, token: str) -> HttpResponse:
    if not _allowed(request):
        return private(render(request, "siteaudits/link_limited.html", status=429))
    audit = workflow.by_token(token)
    if audit is None:
        return private(render(request, "siteaudits/link_invalid.html", status=404))
    with translation.override(_language(request, audit)):
        form = None
        if request.method == "POST":
            form = ReplyForm(request.POST)
            if form.is_valid():
                done = _save(request, audit, form)
                if done:
                    return redirect(request.path)
        return _render(request, audit, form, status=400 if form is not None else 200)


def _save(request: HttpRequest, audit: SiteAudit, form: ReplyForm) -> bool:
    action = workflow.actions_of(audit).filter(pk=form.cleaned_data["action"]).first()
    if action is None:
        form.add_error(None, _("This point is not part of the audit."))
        return False
    try:
        workflow.reply(
            audit,
            action,
            name=form.cleaned_data["name"],
            text=form.cleaned_data["text"],
            done_by=form.cleaned_data["done_by"],
        )
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return False
    request.session["siteaudit-name"] = form.cleaned_data["name"]
    messages.success(
        request,
        _("Thank you: your answer was sent to %(company)s.")
        % {"company": audit.company.legal_name},
    )
    return True


def _render(
    request: HttpRequest, audit: SiteAudit, form: ReplyForm | None, *, status: int
) -> HttpResponse:
    language = translation.get_language() or "en"
    actions = list(workflow.actions_of(audit))
    items = {i.pk: i for i in AuditItem.objects.filter(pk__in=[a.source_id for a in actions])}
    replies: dict[int, list[PartnerReply]] = {}
    for answer in PartnerReply.objects.filter(audit=audit):
        replies.setdefault(answer.action_id, []).append(answer)
    rows: list[dict[str, Any]] = []
    for action in actions:
        item = items.get(action.source_id or 0)
        posted = form is not None and str(form.data.get("action")) == str(action.pk)
        rows.append(
            {
                "action": action,
                "item": item,
                "text": item.text_in(language) if item else action.title,
                "replies": replies.get(action.pk, []),
                "form": form if posted else None,
            }
        )
    context = {
        "audit": audit,
        "rows": rows,
        "name": request.session.get("siteaudit-name", ""),
        "path": request.path,
        "language": language,
        "error_form": form if form is not None and form.errors else None,
    }
    return private(render(request, "siteaudits/partner_reply.html", context, status=status))
