"""Incident pages: the list, reporting, the record with its notification clock and
investigation, and the public anonymous report form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from companies.models import Company
from core import files, idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.refusals import Refused
from core.tenancy import get_for_user_or_404
from incidents import report
from incidents.choices import IncidentKind
from incidents.filters import IncidentFilter
from incidents.forms import (
    AnonymousReportForm,
    IncidentActionForm,
    IncidentForm,
    InvestigationForm,
    NotificationForm,
)
from incidents.models import Incident
from incidents.workflow import (
    SUGGESTED_CRITERION,
    mark_notified,
    open_incident,
    raise_action,
    report_anonymously,
)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


INCIDENTS = ListSpec(
    IncidentFilter,
    [
        col("occurred_at", _l("When it happened")),
        col("kind", _l("Kind")),
        col("title", _l("Title")),
        col("status", _l("Status")),
    ],
    default_sort=("-occurred_at",),
    csv=["occurred_at", "created_at", "kind", "title", "status", "location", "anonymous"],
    empty_text=_l("No incidents recorded."),
)


@login_required
def incident_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    can_manage = Company.objects.for_user(request.user, "manage").filter(pk=company.pk).exists()
    # Only those who may rotate the link see it: it is handed out on posters, not browsed.
    link = report.link_for(company) if can_manage else None
    report_link = request.build_absolute_uri(link.get_absolute_url()) if link else ""
    return render_list(
        request,
        INCIDENTS,
        Incident.objects.for_user(request.user, "view").filter(company=company),
        "incidents/incident_list.html",
        {"company": company, "link": link, "report_link": report_link},
        filename=f"incidents-{company.pk}.csv",
    )


@login_required
@require_POST
def report_link_rotate(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Replace the company's anonymous reporting link; the old one answers 404 from now on."""
    company = get_for_user_or_404(Company, request.user, "manage", pk=company_pk)
    report.rotate(company, by=request.user)
    messages.success(
        request,
        _(
            "A new anonymous reporting link was created. The old link no longer works: "
            "replace it on posters and in messages."
        ),
    )
    return redirect("incidents:incident-list", company_pk=company.pk)


@login_required
def incident_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    if request.method == "POST" and (replayed := idempotency.replay(request)):
        return replayed
    form = IncidentForm(
        _posted(request), company=company, initial=_from_inspection(request, company)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            d = form.cleaned_data
            incident = open_incident(company, reporter=request.user, **d)
            idempotency.done(claimed, incident.get_absolute_url())
        messages.success(request, _("Incident reported. Work through the notifications now."))
        return redirect(incident)
    return render(request, "incidents/incident_form.html", {"company": company, "form": form})


def _from_inspection(request: AuthenticatedHttpRequest, company: Company) -> dict[str, Any]:
    """What a failed inspection point already says about the incident it raises
    (`?inspection=<id>&point=<key>` from the inspection's page)."""
    # The linked models are reached through the incident's own foreign keys: inspections
    # and seals sit above incidents in the layers (docs/architecture.md).
    inspections = Incident._meta.get_field("inspection").related_model._default_manager
    seals = Incident._meta.get_field("seal").related_model._default_manager
    pk = request.GET.get("inspection", "")
    inspection: Any = (
        inspections.filter(company=company, pk=int(pk)).first() if pk.isdigit() else None
    )
    if inspection is None:
        return {}
    result = inspection.results.filter(key=request.GET.get("point", "")).first()
    point = result.label if result is not None else ""
    seal: Any = (
        seals.filter(company=company, number__iexact=inspection.seal_number).first()
        if inspection.seal_number
        else None
    )
    return {
        "kind": IncidentKind.TAMPERING,
        "title": _("%(number)s: failed inspection point %(point)s")
        % {"number": inspection.iit_number, "point": point}
        if point
        else _("%(number)s: failed inspection") % {"number": inspection.iit_number},
        "description": (result.note if result is not None else "") or "",
        "occurred_at": timezone.localtime(inspection.performed_at).replace(second=0, microsecond=0),
        "location": inspection.location_note or inspection.iit_number,
        "inspection": inspection.number,
        "seal": seal.number if seal is not None else "",
    }


def _get(request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str) -> Incident:
    return get_for_user_or_404(
        Incident.objects.select_related("company", "seal", "inspection", "reporter"),
        request.user,
        action,
        company_id=company_pk,
        pk=pk,
    )


@login_required
def incident_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    incident = _get(request, company_pk, pk, "view")
    return _detail(request, incident)


def _detail(
    request: AuthenticatedHttpRequest,
    incident: Incident,
    action_form: IncidentActionForm | None = None,
) -> HttpResponse:
    notifications = list(incident.notifications.select_related("notified_by"))
    can_edit = (
        Company.objects.for_user(request.user, "edit").filter(pk=incident.company_id).exists()
    )
    if action_form is None and can_edit and not incident.is_closed:
        action_form = IncidentActionForm(
            company=incident.company,
            initial={"criterion_ref": SUGGESTED_CRITERION.get(incident.kind, "")},  # type: ignore[call-overload]
        )
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "company": incident.company,
            "incident": incident,
            "notifications": notifications,
            "clock": incident.clock(),
            "can_edit": can_edit,
            "actions": list(incident.corrective_actions().select_related("owner")),
            "action_form": action_form,
            "today": timezone.localdate(),
        },
        status=400 if action_form is not None and action_form.errors else 200,
    )


@login_required
def incident_attachment(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponseBase:
    """The file sent with the incident (often through the anonymous form), for the
    company's users only, through the one file check (`core.files`): another company's
    incident, or one without a file, is 404; only images and PDF are shown inline."""
    return files.serve_for_user(request, Incident, "attachment", pk=pk, company_id=company_pk)


@login_required
@require_POST
def incident_action_create(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    """Raise a corrective action from the incident's investigation."""
    incident = _get(request, company_pk, pk, "edit")
    if replayed := idempotency.replay(request):
        return replayed
    form = IncidentActionForm(request.POST, company=incident.company)
    if form.is_valid():
        try:
            with transaction.atomic():
                claimed = idempotency.claim(request)
                if isinstance(claimed, HttpResponse):
                    return claimed
                raise_action(incident, by=request.user, **form.cleaned_data)
                idempotency.done(claimed, incident.get_absolute_url())
        except Refused as refusal:
            refusals.show(request, refusal, form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Corrective action raised."))
            return redirect(incident)
    return _detail(request, incident, action_form=form)


@login_required
def incident_edit(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    incident = _get(request, company_pk, pk, "edit")
    form = InvestigationForm(_posted(request), instance=incident)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Investigation saved."))
        return redirect(incident)
    return render(
        request,
        "incidents/incident_edit.html",
        {
            "company": incident.company,
            "incident": incident,
            "form": form,
            "open_actions": list(incident.corrective_actions().open()),
        },
    )


@login_required
@require_POST
def notification_mark(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, notification_pk: int
) -> HttpResponse:
    incident = _get(request, company_pk, pk, "edit")
    notification = get_object_or_404(incident.notifications, pk=notification_pk)
    form = NotificationForm(request.POST, instance=notification)
    if form.is_valid():
        if notification.notified_at is None:
            mark_notified(
                notification,
                by=request.user,
                contact=form.cleaned_data["contact"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Notification recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(incident)


def _description(d: dict[str, Any]) -> str:
    text = str(d["description"])
    if d["occurred_at"]:
        text += "\n\n" + _("When") + ": " + str(d["occurred_at"])
    if d["contact"]:
        text += "\n" + _("Contact") + ": " + str(d["contact"])
    return text


def anonymous_report(request: HttpRequest, company_pk: int, token: str) -> HttpResponse:
    """The anonymous report form (no sign-in). The path's company number is ignored; an
    unknown or rotated token is the same 404 as any other missing page."""
    company = report.company_for(token)
    if company is None:
        raise Http404
    form = AnonymousReportForm(_posted(request), request.FILES or None)
    if request.method == "POST":
        if not report.allow(request):
            return render(
                request,
                "incidents/anonymous_report.html",
                {"form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            d = form.cleaned_data
            report_anonymously(
                company,
                kind=d["kind"],
                description=_description(d),
                location=d["location"],
                upload=d.get("attachment"),
            )
            return render(request, "incidents/anonymous_report.html", {"sent": True})
        return render(request, "incidents/anonymous_report.html", {"form": form}, status=400)
    return render(request, "incidents/anonymous_report.html", {"form": form})
