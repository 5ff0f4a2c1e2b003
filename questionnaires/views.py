"""The member's side of partner questionnaires: the list with status, a partner's
questionnaires with its re-assessment date and the send form, one questionnaire's answers
with score and corrective actions, revoking a link, downloading a partner's file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from actions.models import CorrectiveAction
from companies.models import Company
from core import files, idempotency, refusals
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.siteurl import site_url
from core.tenancy import get_for_user_or_404
from partners.models import BusinessPartner
from questionnaires import schedule, workflow
from questionnaires.filters import QuestionnaireFilter
from questionnaires.forms import SendForm, add_set_choice
from questionnaires.models import (
    Answer,
    AnswerEvidence,
    Questionnaire,
    QuestionSetVersion,
    Status,
)
from questionnaires.question_sets import bank


def _can_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()


QUESTIONNAIRES = ListSpec(
    QuestionnaireFilter,
    [
        col("partner", _l("Partner"), "partner__name"),
        col("sent_at", _l("Sent")),
        col("status", _l("Status")),
        col("score", _l("Score")),
    ],
    default_sort=("-sent_at",),
    csv=[
        ("partner", "partner.name"),
        "sent_at",
        "status",
        ("overdue", "is_overdue"),
        "score",
        "band",
    ],
    empty_text=_l("No questionnaires yet."),
    hide=("company", "partner"),  # a partner's own page lists its questionnaires
)


@login_required
def questionnaire_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    today = timezone.localdate()
    return render_list(
        request,
        QUESTIONNAIRES,
        Questionnaire.objects.for_user(request.user, "view")
        .filter(company=company)
        .select_related("partner"),
        "questionnaires/questionnaire_list.html",
        {"company": company, "due": schedule.due_partners(company.pk, today), "today": today},
        filename=f"questionnaires-{company.pk}.csv",
    )


def _partner(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int, action: str
) -> Any:
    return get_for_user_or_404(
        BusinessPartner.objects.select_related("company"),
        request.user,
        action,
        pk=partner_pk,
        company_id=company_pk,
    )


def _partner_page(
    request: AuthenticatedHttpRequest, partner: BusinessPartner, form: SendForm, status: int = 200
) -> HttpResponse:
    company = partner.company
    last = schedule.last_submitted_on(partner)
    due = schedule.reassessment_due(partner.tier, last) if last else None
    return render(
        request,
        "questionnaires/partner_questionnaires.html",
        {
            "company": company,
            "partner": partner,
            "questionnaires": partner.questionnaires.all(),
            "last_submitted": last,
            "next_due": due,
            "due_passed": due is not None and due < timezone.localdate(),
            "cycle_years": schedule.REASSESS_YEARS.get(partner.tier, 1),
            "question_set": bank().for_role(partner.role),
            "form": form,
            "can_edit": _can_edit(request, company),
        },
        status=status,
    )


@login_required
def partner_questionnaires(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int
) -> HttpResponse:
    partner = _partner(request, company_pk, partner_pk, "view")
    form = SendForm(partner=partner)
    add_set_choice(form, partner)
    return _partner_page(request, partner, form)


@login_required
@require_POST
def questionnaire_send(
    request: AuthenticatedHttpRequest, company_pk: int, partner_pk: int
) -> HttpResponse:
    partner = _partner(request, company_pk, partner_pk, "edit")
    replayed = idempotency.replay(request)
    if replayed is not None:
        return replayed
    form = SendForm(request.POST, partner=partner)
    add_set_choice(form, partner)
    if not form.is_valid():
        return _partner_page(request, partner, form, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            claimed = idempotency.claim(request)
            if isinstance(claimed, HttpResponse):
                return claimed
            questionnaire, token = workflow.send(
                partner,
                contact_email=data["contact_email"],
                contact_name=data["contact_name"],
                language=data["language"],
                sent_by=request.user,
                valid_days=data["valid_days"],
                site=site_url(request),
                question_set=data.get("question_set"),
            )
            url = questionnaire.get_absolute_url()
            idempotency.done(claimed, url)
    except workflow.QuestionSetRefused as refusal:
        # Nothing was kept, the submission key included: the corrected form may be sent.
        refusals.show(request, refusal, form)
        return _partner_page(request, partner, form, status=400)
    link = request.build_absolute_uri(workflow.link_path(token))
    messages.success(
        request,
        _("Questionnaire sent to %(email)s. The link, shown only now (keep it private): %(link)s")
        % {"email": data["contact_email"], "link": link},
    )
    return HttpResponseRedirect(url)


def _questionnaire(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str
) -> Questionnaire:
    return get_for_user_or_404(
        Questionnaire.objects.select_related("partner", "company"),
        request.user,
        action,
        pk=pk,
        company_id=company_pk,
    )


@login_required
def questionnaire_detail(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    questionnaire = _questionnaire(request, company_pk, pk, "view")
    if questionnaire.set_version_id is not None:
        questionnaire.set_version = QuestionSetVersion.objects.select_related("question_set").get(
            pk=questionnaire.set_version_id
        )
    questions = questionnaire.question_set()
    answers = {a.question_id: a for a in questionnaire.answers.all()}
    shown = questions.shown({qid: a.raw for qid, a in answers.items()})
    files: dict[int, list[AnswerEvidence]] = {}
    for evidence in AnswerEvidence.objects.filter(answer__questionnaire=questionnaire):
        files.setdefault(evidence.answer_id, []).append(evidence)
    actions = {
        a.source_id: a
        for a in CorrectiveAction.objects.filter(
            source_type=ContentType.objects.get_for_model(Answer),
            source_id__in=[a.pk for a in answers.values()],
        )
    }
    weak = {a.pk for a in workflow.weak_answers(questionnaire)}
    rows = []
    asked = [q for q in questions.questions if q.id in shown]
    for number, question in enumerate(asked, start=1):
        answer = answers.get(question.id)
        option = (
            questions.option(question, answer.option)
            if answer is not None and question.kind != "multiple"
            else None
        )
        rows.append(
            {
                "number": number,
                "question": question,
                "answer": answer,
                "shown": workflow.display_answer(questions, question.id, answer.raw)
                if answer
                else "",
                "weak": answer is not None and answer.pk in weak,
                "counts": option is None or option.counts,
                "files": files.get(answer.pk, []) if answer else [],
                "action": actions.get(answer.pk) if answer else None,
            }
        )
    return render(
        request,
        "questionnaires/questionnaire_detail.html",
        {
            "company": questionnaire.company,
            "questionnaire": questionnaire,
            "title": questions.title(),
            "rows": rows,
            "member_set": questionnaire.set_version,
            "band_label": workflow.band_label(questionnaire.band),
            "weak_count": len(weak),
            "can_edit": _can_edit(request, questionnaire.company),
            "awaiting": questionnaire.status in (Status.SENT, Status.IN_PROGRESS),
        },
    )


@login_required
@require_POST
def questionnaire_revoke(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    questionnaire = _questionnaire(request, company_pk, pk, "edit")
    try:
        workflow.revoke(questionnaire)
    except workflow.QuestionnaireRefused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("The link is revoked; it no longer opens the questionnaire."))
    return redirect(questionnaire)


@login_required
@require_POST
def questionnaire_reviewed(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    """The member has read the submitted answers: the questionnaire leaves the task list."""
    questionnaire = _questionnaire(request, company_pk, pk, "edit")
    try:
        workflow.mark_reviewed(questionnaire, by=request.user)
    except workflow.QuestionnaireRefused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect(questionnaire)


@login_required
@require_POST
def questionnaire_relink(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int
) -> HttpResponse:
    questionnaire = _questionnaire(request, company_pk, pk, "edit")
    try:
        token = workflow.new_link(questionnaire, site=site_url(request))
    except workflow.QuestionnaireRefused as refusal:
        refusals.show(request, refusal)
    else:
        link = request.build_absolute_uri(workflow.link_path(token))
        messages.success(
            request,
            _(
                "A new link was sent to %(email)s; the old one no longer works. "
                "The link, shown only now (keep it private): %(link)s"
            )
            % {"email": questionnaire.contact_email, "link": link},
        )
    return redirect(questionnaire)


@login_required
def evidence_download(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, evidence_pk: int
) -> HttpResponseBase:
    questionnaire = _questionnaire(request, company_pk, pk, "view")
    return files.serve_for_user(
        request, AnswerEvidence, "file", pk=evidence_pk, answer__questionnaire=questionnaire
    )
