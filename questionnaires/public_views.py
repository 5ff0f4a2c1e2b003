"""The partner's side of a questionnaire, opened from the e-mailed link without an account.

An unknown, tampered, expired or revoked link, or one of another partner used against
this questionnaire's files, all get the same neutral page with the same status, so the
page never tells whether a partner or a questionnaire exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from core.refusals import Refused
from core.uploads import accepted_types_text, attach, check_upload, store_file
from questionnaires import links, workflow
from questionnaires.models import Answer, AnswerEvidence, Language, Questionnaire, Status
from questionnaires.question_sets import Option, Question

NAME_KEY = "questionnaire-name"
LANG_KEY = "questionnaire-lang"


def neutral(request: HttpRequest) -> HttpResponse:
    """The one answer to every link that does not open a questionnaire."""
    return links.private(render(request, "questionnaires/link_invalid.html", status=404))


def _language(request: HttpRequest, questionnaire: Questionnaire) -> str:
    chosen = request.GET.get("lang", "")
    if chosen in Language.values:
        request.session[LANG_KEY] = chosen
    return str(
        request.session.get(LANG_KEY)
        or questionnaire.language
        or translation.get_language_from_request(request)
    )[:2]


@dataclass
class Row:
    """One question as shown to the partner, with the stored or re-posted answer."""

    question: Question
    number: int
    answer: Answer | None
    chosen: str = ""
    comment: str = ""
    files: list[AnswerEvidence] = field(default_factory=list)
    error: str = ""
    options: list[Option] = field(default_factory=list)
    # A follow-up: hidden while its question's answer does not ask it; `condition` says
    # when it is asked (shown to readers without scripts).
    hidden: bool = False
    condition: str = ""

    @property
    def picked(self) -> list[str]:
        return self.chosen.split(",") if self.chosen else []


def _posted_answer(posted: Any, question: Question, current: str) -> str:
    name = f"answer-{question.id}"
    if question.kind == "multiple":
        # Checkboxes: none ticked sends nothing, so the form marks the question present.
        if name in posted or f"present-{question.id}" in posted:
            return ",".join(posted.getlist(name))
        return current
    return str(posted.get(name, current))


def _rows(questionnaire: Questionnaire, posted: Any = None) -> list[Row]:
    questions = questionnaire.question_set()
    answers = {a.question_id: a for a in questionnaire.answers.all()}
    files: dict[int, list[AnswerEvidence]] = {}
    for evidence in AnswerEvidence.objects.filter(answer__questionnaire=questionnaire):
        files.setdefault(evidence.answer_id, []).append(evidence)
    rows = []
    numbers: dict[str, int] = {}
    for number, question in enumerate(questions.questions, start=1):
        numbers[question.id] = number
        answer = answers.get(question.id)
        row = Row(question, number, answer, options=list(questions.options(question)))
        row.chosen = answer.raw if answer else ""
        row.comment = answer.comment if answer else ""
        row.files = files.get(answer.pk, []) if answer else []
        if posted is not None:
            row.chosen = _posted_answer(posted, question, row.chosen)
            row.comment = posted.get(f"comment-{question.id}", row.comment)
        rows.append(row)
    raw = {row.question.id: row.chosen for row in rows}
    shown = questions.shown(raw)
    for row in rows:
        if row.question.show_if is None:
            continue
        parent, wanted = row.question.show_if
        parent_question = questions.question(parent)
        labels = (
            [o.label() for o in questions.options(parent_question) if o.key in wanted]
            if parent_question
            else list(wanted)
        )
        row.condition = _("Answer only if question %(number)d is “%(answers)s”.") % {
            "number": numbers.get(parent, 0),
            "answers": " / ".join(labels),
        }
        # Asked, or its question not answered yet (shown with the hint, hidden by script).
        row.hidden = row.question.id not in shown and bool(raw.get(parent))
    return rows


def _render(
    request: HttpRequest,
    questionnaire: Questionnaire,
    rows: list[Row],
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    questions = questionnaire.question_set()
    locked = questionnaire.status == Status.SUBMITTED
    answered = sum(1 for r in rows if r.answer is not None)
    context = {
        "questionnaire": questionnaire,
        "title": questions.title(),
        "rows": [(row, row.options) for row in rows if not (row.hidden and locked)],
        "answered": answered,
        # Follow-ups not asked (their question got another answer) are not counted.
        "total": sum(1 for r in rows if not r.hidden),
        "name": request.session.get(NAME_KEY, ""),
        "errors": errors or [],
        "accepted": accepted_types_text(),
        "locked": locked,
        "path": request.path,
        "token": request.resolver_match.kwargs.get("token", "") if request.resolver_match else "",
    }
    return links.private(
        render(request, "questionnaires/partner_form.html", context, status=status)
    )


def _checked_uploads(
    request: HttpRequest, rows: list[Row], answered_now: set[str]
) -> tuple[dict[str, UploadedFile[bytes]], list[str]]:
    uploads: dict[str, UploadedFile[bytes]] = {}
    errors: list[str] = []
    for row in rows:
        upload = request.FILES.get(f"file-{row.question.id}")
        if upload is None:
            continue
        label = _("Question %(number)d") % {"number": row.number}
        if row.question.kind == "file":
            answered_now.add(row.question.id)
        if row.answer is None and row.question.id not in answered_now:
            row.error = _("Choose an answer before attaching a file.")
            errors.append(f"{label}: {row.error}")
            continue
        try:
            check_upload(upload)
        except ValidationError as exc:
            row.error = " ".join(exc.messages)
            errors.append(f"{label}: {row.error}")
            continue
        uploads[row.question.id] = upload
    return uploads, errors


def _store_evidence(
    questionnaire: Questionnaire, uploads: dict[str, UploadedFile[bytes]], name: str
) -> None:
    answers = {a.question_id: a for a in questionnaire.answers.filter(question_id__in=uploads)}
    for qid, upload in uploads.items():

        def write(stored: str, checked: Any, answer: Answer = answers[qid]) -> AnswerEvidence:
            evidence = AnswerEvidence(answer=answer, uploaded_by_name=name)
            attach(evidence, stored, checked)
            evidence.save()
            return evidence

        store_file(upload, f"{AnswerEvidence.folder}/{questionnaire.company_id}", write)


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire: answer, attach files, save and come back, submit."""
    if not links.allow(request):
        response = render(request, "questionnaires/link_limited.html", status=429)
        return links.private(response)
    questionnaire = workflow.by_token(token)
    if questionnaire is None:
        return neutral(request)
    with translation.override(_language(request, questionnaire)):
        if request.method != "POST" or questionnaire.status == Status.SUBMITTED:
            return _render(request, questionnaire, _rows(questionnaire))
        return _post(request, questionnaire)


def _edited(request: HttpRequest, row: Row) -> bool:
    """Whether this form changed the answer. The form carries the answer it showed
    (`shown-…`), so a colleague's form opened earlier does not undo an answer changed
    since: only what this person changed on their page is written."""
    qid = row.question.id
    if not row.chosen:
        return False
    if row.answer is None:
        return True
    if f"answer-{qid}" not in request.POST:
        return False
    shown = request.POST.get(f"shown-{qid}")
    if shown is None:
        return True
    shown_comment = request.POST.get(f"shown-comment-{qid}", "")
    return (row.chosen, row.comment.strip()) != (shown, shown_comment.strip())


def _post(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:200]
    rows = _rows(questionnaire, request.POST)
    given = {row.question.id: (row.chosen, row.comment) for row in rows if _edited(request, row)}
    errors: list[str] = []
    if not name:
        errors.append(_("Enter your name so the member knows who answered."))
    uploads, upload_errors = _checked_uploads(request, rows, set(given))
    errors += upload_errors
    for qid in uploads:
        row = next(r for r in rows if r.question.id == qid)
        if row.question.kind == "file" and row.answer is None:
            given[qid] = ("file", row.comment)
    if errors:
        return _render(request, questionnaire, rows, errors=errors, status=400)
    request.session[NAME_KEY] = name
    try:
        with transaction.atomic():
            workflow.save_answers(questionnaire, name, given)
            _store_evidence(questionnaire, uploads, name)
    except Refused as refusal:
        return _render(request, questionnaire, rows, errors=[str(refusal)], status=400)
    except ValidationError as exc:
        return _render(request, questionnaire, rows, errors=exc.messages, status=400)
    if request.POST.get("action") == "submit":
        try:
            workflow.submit(questionnaire, name)
        except Refused as refusal:
            fresh = _rows(questionnaire)
            missing = ", ".join(str(r.number) for r in fresh if r.answer is None)
            message = str(refusal)
            if missing:
                message += " " + _("Questions without an answer: %(list)s.") % {"list": missing}
            return _render(request, questionnaire, fresh, errors=[message], status=400)
        messages.success(request, _("Thank you. The questionnaire is submitted."))
    else:
        messages.success(
            request,
            _("Saved. You or a colleague can come back with the same link to continue."),
        )
    return redirect(request.path)


def evidence(request: HttpRequest, token: str, evidence_pk: int) -> HttpResponseBase:
    """A file attached to this questionnaire, for the partner to check what was sent.
    A file of another questionnaire answers the neutral page, like a bad link."""
    if not links.allow(request):
        return links.private(render(request, "questionnaires/link_limited.html", status=429))
    questionnaire = workflow.by_token(token)
    found = (
        AnswerEvidence.objects.filter(pk=evidence_pk, answer__questionnaire=questionnaire).first()
        if questionnaire is not None
        else None
    )
    if found is None:
        return neutral(request)
    response = found.download()
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
