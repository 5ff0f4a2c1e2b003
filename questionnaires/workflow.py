"""Business verbs of partner questionnaires: send, open by link, answer, submit, revoke.

The link token is random (256 bits) and only its SHA-256 is stored, so a database dump
reveals no working link; the token names one questionnaire of one partner and nothing else.
Submitting locks the questionnaire, scores it and turns every weak answer into a corrective
action of the member (MSC 3.6), due sooner for a Must criterion than for a Should.
"""

from __future__ import annotations

import copy
import datetime
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.models import User
from actions.models import CorrectiveAction
from companies.models import Membership
from core.refusals import Invalid, NotAllowed, NotFound
from notices.workflow import notify, recipients
from partners.models import BusinessPartner
from questionnaires import builder
from questionnaires.models import (
    AWAITING,
    DEFAULT_VALID_DAYS,
    Answer,
    MemberQuestionSet,
    Questionnaire,
    QuestionSetVersion,
    Status,
    hash_token,
)
from questionnaires.question_sets import Bank, Option, Question, QuestionSet, bank

# Days to fix a weak answer, by the criterion's level and how weak the answer is.
ACTION_DUE_DAYS: dict[tuple[str, str], int] = {
    ("must", "no"): 30,
    ("must", "partly"): 60,
    ("should", "no"): 90,
    ("should", "partly"): 120,
}
DEFAULT_DUE_DAYS = 90
# Score bands (lowest score of each band, best first).
BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(85), "strong"),
    (Decimal(60), "adequate"),
    (Decimal(0), "weak"),
)


class QuestionnaireRefused(NotAllowed):
    """The root of the questionnaire's refusals: its state forbids the step (API 409)."""

    code = "questionnaire_refused"


class QuestionnaireSubmitted(QuestionnaireRefused):
    """A submitted questionnaire is locked: no new link, nothing to revoke."""

    code = "questionnaire_submitted"


class QuestionnaireClosed(QuestionnaireRefused):
    """Submitted or revoked: answers no longer change."""

    code = "questionnaire_closed"


class QuestionnaireIncomplete(QuestionnaireRefused):
    code = "questionnaire_incomplete"


class AnswerInvalid(Invalid):
    """The answers sent can be corrected and sent again (400)."""

    code = "answer_invalid"


def band_label(band: str) -> str:
    return {"strong": _("Strong"), "adequate": _("Adequate"), "weak": _("Weak")}.get(band, "")


def link_path(token: str) -> str:
    return reverse("questionnaire-links:answer", args=[token])


# --- Scoring -------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    percent: Decimal | None
    band: str
    earned: Decimal
    possible: int


def compute_score(
    questions: QuestionSet, chosen: Mapping[str, str], scale: Bank | None = None
) -> Score:
    """Weighted score ({question id: stored answer}). Rules:

    - only questions actually asked count: a follow-up whose condition does not hold, a
      question of weight 0, an unanswered question and an answer that does not count
      ("not applicable") are left out of both the earned and the possible points;
    - a single choice, yes/no or scale answer earns weight × the answer's score (0–1);
    - a multiple choice earns weight × the sum of the chosen answers' scores, at most 1;
    - a date, number, text or file answer earns its full weight once given;
    - the score is earned / possible, in percent to one decimal; None when nothing counts.

    `scale` is accepted for callers of the shipped sets; the set carries its own scale."""
    earned = Decimal(0)
    possible = 0
    shown = questions.shown(chosen)
    for question in questions.questions:
        raw = chosen.get(question.id, "")
        if question.id not in shown or not question.weight or not raw:
            continue
        if question.kind == "multiple":
            picked = [questions.option(question, k) for k in raw.split(",")]
            if not picked or any(o is None or not o.counts for o in picked):
                continue
            share = min(Decimal(1), sum((Decimal(str(o.score)) for o in picked if o), Decimal(0)))
        elif question.has_choices:
            option = questions.option(question, raw)
            if option is None or not option.counts:
                continue
            share = Decimal(str(option.score))
        else:
            share = Decimal(1)
        earned += Decimal(question.weight) * share
        possible += question.weight
    if not possible:
        return Score(None, "", earned, 0)
    percent = (earned * 100 / possible).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    band = next(name for floor, name in BANDS if percent >= floor)
    return Score(percent, band, earned, possible)


def display_answer(
    questions: QuestionSet, question_id: str, raw: str, language: str | None = None
) -> str:
    """An answer as people read it: the choice labels, or the value given."""
    question = questions.question(question_id)
    if question is None or not raw:
        return raw
    if question.kind == "multiple":
        labels = [questions.option(question, k) for k in raw.split(",")]
        return ", ".join(
            o.label(language) if o else k for o, k in zip(labels, raw.split(","), strict=True)
        )
    if question.has_choices:
        option = questions.option(question, raw)
        return option.label(language) if option else raw
    if question.kind == "file":
        return str(_("File attached"))
    return raw


# --- Sending and the link ------------------------------------------------------------


def _previous(partner: BusinessPartner, exclude: int | None = None) -> Questionnaire | None:
    earlier = Questionnaire.objects.filter(partner=partner, status=Status.SUBMITTED)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    return earlier.order_by("-submitted_at", "-pk").first()


def prefill_from_last_time(questionnaire: Questionnaire) -> int:
    """Copy the answers of the partner's previous submitted questionnaire to the questions
    asked again, marked "from last year" until someone changes them. Returns how many."""
    previous = _previous(questionnaire.partner, exclude=questionnaire.pk)
    if previous is None:
        return 0
    # A member's set reuses answers of the same set only: its IDs mean nothing elsewhere.
    member = questionnaire.set_version_id or previous.set_version_id
    if member and previous.template_key != questionnaire.template_key:
        return 0
    questions = questionnaire.question_set()
    asked = {q.id for q in questions.questions}
    copied = [
        Answer(
            questionnaire=questionnaire,
            question_id=old.question_id,
            criterion_ref=old.criterion_ref,
            option=old.option,
            value=old.value,
            comment=old.comment,
            answered_by=old.answered_by,
            answered_at=old.answered_at,
            from_last_year=True,
        )
        for old in previous.answers.filter(question_id__in=asked)
        if questions.question(old.question_id).kind != "file"  # type: ignore[union-attr]
    ]
    Answer.objects.bulk_create(copied)
    return len(copied)


def send(
    partner: BusinessPartner,
    *,
    contact_email: str,
    contact_name: str = "",
    language: str = "",
    sent_by: User | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    now: datetime.datetime | None = None,
    site: str = "",
    question_set: MemberQuestionSet | None = None,
) -> tuple[Questionnaire, str]:
    """Create a questionnaire for the partner's role, pre-filled from last time, and
    e-mail the link (after commit). Returns the questionnaire and the link token, which is
    not stored and cannot be shown again. `site` is the address the portal is served on
    (`core.siteurl.site_url(request)`); empty: `SITE_URL`. With `question_set` (one of the
    member's own sets) the partner is asked its latest published version, kept as sent."""
    now = now or timezone.now()
    version = None
    if question_set is not None:
        version = _sendable(partner, question_set)
        template_key, template_version = f"member-{question_set.pk}", str(version.number)
    else:
        questions = bank().for_role(partner.role)
        template_key, template_version = questions.key, questions.version
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            company_id=partner.company_id,
            partner=partner,
            template_key=template_key,
            set_version=version,
            partner_role=partner.role,
            template_version=template_version,
            language=language,
            contact_name=contact_name,
            contact_email=contact_email,
            token_hash=hash_token(token),
            sent_by=sent_by,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=valid_days),
        )
        prefill_from_last_time(questionnaire)
        email_link(questionnaire, token, site=site)
    return questionnaire, token


def _languages(questionnaire: Questionnaire) -> list[str]:
    return [questionnaire.language] if questionnaire.language else ["en", "es"]


def email_link(questionnaire: Questionnaire, token: str, *, site: str = "") -> None:
    """E-mail the link to the partner's contact once the transaction commits, in the
    language the sender chose; left to the partner's browser, in English then Spanish."""
    partner = questionnaire.partner
    url = (site or settings.CTPAT_SITE_URL) + link_path(token)
    facts = {
        "name": questionnaire.contact_name or questionnaire.contact_email,
        "company": partner.company.legal_name,
        "partner": partner.name,
        "url": url,
        "expires": f"{questionnaire.expires_at:%Y-%m-%d}",
    }
    subjects, bodies = [], []
    for language in _languages(questionnaire):
        with override(language):
            subjects.append(_("Security questionnaire from %(company)s") % facts)
            bodies.append(
                _(
                    "Hello %(name)s,\n\n%(company)s asks %(partner)s to answer a supply chain "
                    "security questionnaire (CTPAT business partner requirements).\n\n"
                    "Open it here, no account needed: %(url)s\n\n"
                    "Several colleagues may answer, save and come back later. The link is "
                    "valid until %(expires)s. Please do not forward it outside your company."
                )
                % facts
            )
    subject = " / ".join(subjects)
    body = "\n\n----------\n\n".join(bodies)
    recipient = questionnaire.contact_email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


def new_link(
    questionnaire: Questionnaire,
    valid_days: int = DEFAULT_VALID_DAYS,
    now: datetime.datetime | None = None,
    site: str = "",
) -> str:
    """Replace the link of a questionnaire not yet submitted (e-mail lost, link expired or
    revoked): the old link stops working at once, the answers given so far stay, and the
    new link is e-mailed. Returns the new token."""
    now = now or timezone.now()
    with transaction.atomic():
        fresh = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if fresh.status == Status.SUBMITTED:
            raise QuestionnaireSubmitted(
                _("This questionnaire is submitted; send a new one instead.")
            )
        token = secrets.token_urlsafe(32)
        fresh.token_hash = hash_token(token)
        fresh.expires_at = now + datetime.timedelta(days=valid_days)
        if fresh.status == Status.REVOKED:
            fresh.status = Status.IN_PROGRESS if fresh.answers.exists() else Status.SENT
            fresh.revoked_at = None
        fresh.save()
        email_link(fresh, token, site=site)
    questionnaire.refresh_from_db()
    return token


def by_token(token: str, now: datetime.datetime | None = None) -> Questionnaire | None:
    """The questionnaire a link opens, or None for an unknown, revoked or expired link
    (the caller answers all of them the same way). A submitted questionnaire still opens,
    read-only, until the link expires."""
    if not token or len(token) > 100:
        return None
    found = (
        Questionnaire.objects.select_related("partner", "company")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if found is None or not found.link_is_open(now):
        return None
    return found


def revoke(questionnaire: Questionnaire, now: datetime.datetime | None = None) -> None:
    if questionnaire.status == Status.SUBMITTED:
        raise QuestionnaireSubmitted(_("A submitted questionnaire has no open link to revoke."))
    questionnaire.status = Status.REVOKED
    questionnaire.revoked_at = now or timezone.now()
    questionnaire.save(update_fields=["status", "revoked_at", "updated_at"])


class NotSubmitted(QuestionnaireRefused):
    """Only a submitted questionnaire has answers to review."""

    code = "questionnaire_not_submitted"


def mark_reviewed(
    questionnaire: Questionnaire, *, by: User, now: datetime.datetime | None = None
) -> Questionnaire:
    """The member read the partner's submitted answers (and the actions they raised): the
    questionnaire leaves the sender's task list. Marking it again changes nothing."""
    with transaction.atomic():
        fresh = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if fresh.status != Status.SUBMITTED:
            raise NotSubmitted(_("Only a submitted questionnaire can be marked as reviewed."))
        if fresh.reviewed_at is None:
            fresh.reviewed_at = now or timezone.now()
            fresh.reviewed_by = by
            fresh.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    questionnaire.reviewed_at, questionnaire.reviewed_by = fresh.reviewed_at, fresh.reviewed_by
    return fresh


# --- Answering -----------------------------------------------------------------------


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    fresh = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if fresh.status not in AWAITING:
        raise QuestionnaireClosed(_("This questionnaire is submitted or closed; it cannot change."))
    return fresh


def _checked_value(question: Question, questions: QuestionSet, raw: str) -> tuple[str, str]:
    """The (option, value) to store for answer `raw` to `question`, or AnswerInvalid
    naming the question and what to give."""
    raw = raw.strip()
    label = question.text()
    if question.kind in ("scale", "single", "yes_no"):
        option = questions.option(question, raw)
        if option is None:
            raise AnswerInvalid(
                _("Unknown answer “%(answer)s” to question %(question)s.")
                % {"answer": raw, "question": question.id}
            )
        if question.kind == "scale" and not option.counts and not question.allow_na:
            raise AnswerInvalid(
                _("“%(question)s” cannot be answered “not applicable”.") % {"question": label}
            )
        return raw, ""
    if question.kind == "multiple":
        keys = [k for k in dict.fromkeys(raw.split(",")) if k]
        if not keys or any(questions.option(question, k) is None for k in keys):
            raise AnswerInvalid(
                _("Choose one or more of the answers offered to “%(question)s”.")
                % {"question": label}
            )
        return "", ",".join(keys)
    if question.kind == "date":
        try:
            datetime.date.fromisoformat(raw)
        except ValueError:
            raise AnswerInvalid(
                _("“%(question)s”: give a date as YYYY-MM-DD.") % {"question": label}
            ) from None
        return "", raw
    if question.kind == "number":
        try:
            number = Decimal(raw)
        except ArithmeticError:
            number = Decimal("NaN")
        if not number.is_finite() or len(raw) > 30:
            raise AnswerInvalid(
                _("“%(question)s”: give a number, such as 12 or 3.5.") % {"question": label}
            )
        return "", raw
    if len(raw) > 5000:
        raise AnswerInvalid(
            _("“%(question)s”: the answer is longer than 5000 characters.") % {"question": label}
        )
    return "", raw


def save_answers(
    questionnaire: Questionnaire,
    answered_by: str,
    answers: Mapping[str, tuple[str, str]],
    now: datetime.datetime | None = None,
) -> list[Answer]:
    """Store the answers given ({question id: (answer, comment)}; the answer is the
    choice key, several keys separated by commas for a multiple choice, or the value of a
    date, number, text or file question). Only answers that differ from what is stored are
    written, so each answer keeps the name of the person who last changed it; an answer
    taken from last year stays marked so until changed. A follow-up whose condition no
    longer holds loses its answer: it is no longer asked."""
    name = answered_by.strip()
    if not name:
        raise AnswerInvalid(
            _("Enter your name so the member knows who answered."), code="name_required"
        )
    questions = questionnaire.question_set()
    changed: list[Answer] = []
    with transaction.atomic():
        fresh = _locked(questionnaire)
        existing = {a.question_id: a for a in fresh.answers.all()}
        raw = {qid: a.raw for qid, a in existing.items()}
        checked: dict[str, tuple[str, str, str]] = {}
        for qid, (given, comment) in answers.items():
            question = questions.question(qid)
            if question is None:
                raise AnswerInvalid(
                    _("Unknown answer “%(answer)s” to question %(question)s.")
                    % {"answer": given, "question": qid}
                )
            option, value = _checked_value(question, questions, given)
            checked[qid] = (option, value, comment.strip())
            raw[qid] = option or value
        shown = questions.shown(raw)
        for qid, (option, value, comment) in checked.items():
            if qid not in shown:
                continue
            answer = existing.get(qid)
            if answer is not None and (answer.option, answer.value, answer.comment) == (
                option,
                value,
                comment,
            ):
                continue
            answer = answer or Answer(questionnaire=fresh, question_id=qid)
            answer.criterion_ref = questions.question(qid).criterion  # type: ignore[union-attr]
            answer.option = option
            answer.value = value
            answer.comment = comment
            answer.answered_by = name
            answer.answered_at = now or timezone.now()
            answer.from_last_year = False
            answer.save()
            changed.append(answer)
        hidden = [a.pk for qid, a in existing.items() if qid not in shown]
        if hidden:
            Answer.objects.filter(pk__in=hidden).delete()
        if fresh.status == Status.SENT:
            fresh.status = Status.IN_PROGRESS
            fresh.save(update_fields=["status", "updated_at"])
    questionnaire.status = fresh.status
    return changed


def missing_questions(questionnaire: Questionnaire) -> list[str]:
    """Required questions asked (follow-ups whose condition holds) without an answer."""
    questions = questionnaire.question_set()
    raw = {a.question_id: a.raw for a in questionnaire.answers.all()}
    shown = questions.shown(raw)
    return [q.id for q in questions.questions if q.id in shown and q.required and not raw.get(q.id)]


def _weak_options(questions: QuestionSet, answer: Answer) -> list[Option]:
    question = questions.question(answer.question_id)
    if question is None or not question.has_choices:
        return []
    keys = answer.value.split(",") if question.kind == "multiple" else [answer.option]
    found = [questions.option(question, k) for k in keys]
    return [o for o in found if o is not None and o.weak]


def _action_owner(partner: BusinessPartner) -> int | None:
    owner = partner.relationship_owner_id
    if owner and Membership.objects.filter(user_id=owner, company_id=partner.company_id).exists():
        return owner
    return None


def raise_actions(questionnaire: Questionnaire, today: datetime.date) -> list[CorrectiveAction]:
    """One corrective action of the member per weak answer, linked to the answer."""
    questions = questionnaire.question_set()
    answer_type = ContentType.objects.get_for_model(Answer)
    owner = _action_owner(questionnaire.partner)
    created = []
    for answer in questionnaire.answers.all():
        weak = _weak_options(questions, answer)
        question = questions.question(answer.question_id)
        if not weak or question is None:
            continue
        option = weak[0]
        if CorrectiveAction.objects.filter(source_type=answer_type, source_id=answer.pk).exists():
            continue
        days = ACTION_DUE_DAYS.get((question.level, option.key), DEFAULT_DUE_DAYS)
        with override(questionnaire.company.language or "en"):
            title = _("%(partner)s: %(question)s — answered “%(answer)s”") % {
                "partner": questionnaire.partner.name,
                "question": question.text(),
                "answer": option.label(),
            }
            description = _(
                "Partner questionnaire of %(date)s, MSC %(criterion)s (%(level)s). "
                "Answered by %(who)s. Comment: %(comment)s\n\n"
                "Agree a fix with the partner and keep proof of it (MSC 3.6)."
            ) % {
                "date": f"{questionnaire.sent_at:%Y-%m-%d}",
                "criterion": question.criterion or "—",
                "level": question.level.capitalize() or "—",
                "who": answer.answered_by,
                "comment": answer.comment or "—",
            }
        created.append(
            CorrectiveAction.objects.create(
                company_id=questionnaire.company_id,
                title=title[:200],
                description=description,
                criterion_ref=question.criterion,
                owner_id=owner,
                due_date=today + datetime.timedelta(days=days),
                source_type=answer_type,
                source_id=answer.pk,
            )
        )
    return created


def submit(
    questionnaire: Questionnaire, submitted_by: str, now: datetime.datetime | None = None
) -> list[CorrectiveAction]:
    """Lock the questionnaire once every question is answered, score it and raise the
    corrective actions of its weak answers."""
    name = submitted_by.strip()
    if not name:
        raise AnswerInvalid(
            _("Enter your name so the member knows who answered."), code="name_required"
        )
    now = now or timezone.now()
    with transaction.atomic():
        fresh = _locked(questionnaire)
        missing = missing_questions(fresh)
        if missing:
            raise QuestionnaireIncomplete(
                _("Answer every question before submitting; %(count)d still open.")
                % {"count": len(missing)}
            )
        questions = fresh.question_set()
        chosen = {a.question_id: a.raw for a in fresh.answers.all()}
        score = compute_score(questions, chosen)
        fresh.status = Status.SUBMITTED
        fresh.submitted_at = now
        fresh.submitted_by_name = name
        fresh.score = score.percent
        fresh.band = score.band
        fresh.save()
        actions = raise_actions(fresh, timezone.localdate(now))
        _notify_submitted(fresh, len(actions))
        email_copy(fresh)
    questionnaire.refresh_from_db()
    return actions


def _notify_submitted(questionnaire: Questionnaire, weak: int) -> None:
    """The member's managers and whoever sent the questionnaire hear that it came back."""
    people = recipients(questionnaire.company)
    if questionnaire.sent_by is not None and questionnaire.sent_by not in people:
        people.append(questionnaire.sent_by)
    notify(
        "questionnaire_submitted",
        f"{questionnaire.pk}:{questionnaire.submitted_at:%Y%m%d%H%M%S}",
        company=questionnaire.company,
        users=people,
        url=questionnaire.get_absolute_url(),
        title=gettext_lazy("%(partner)s submitted its security questionnaire"),
        params={
            "partner": questionnaire.partner.name,
            "score": questionnaire.score,
            "weak": weak,
        },
        body=gettext_lazy(
            "Score: %(score)s%%. Corrective actions raised from weak answers: %(weak)s."
        ),
    )


def email_copy(questionnaire: Questionnaire) -> None:
    """E-mail the partner's contact a copy of the answers it submitted (after commit), so
    the partner keeps a record of what it declared; in the questionnaire's language, else
    English then Spanish."""
    questions = questionnaire.question_set()
    answers = {a.question_id: a for a in questionnaire.answers.all()}
    shown = questions.shown({qid: a.raw for qid, a in answers.items()})
    facts = {
        "company": questionnaire.company.legal_name,
        "partner": questionnaire.partner.name,
        "name": questionnaire.submitted_by_name,
        "date": f"{questionnaire.submitted_at:%Y-%m-%d}" if questionnaire.submitted_at else "",
    }
    subjects, bodies = [], []
    for language in _languages(questionnaire):
        with override(language):
            subjects.append(_("Copy of your answers to %(company)s") % facts)
            lines = [
                _(
                    "%(partner)s submitted the security questionnaire of %(company)s on "
                    "%(date)s (submitted by %(name)s). These are the answers given; keep "
                    "this copy for your records."
                )
                % facts,
                "",
            ]
            asked = [q for q in questions.questions if q.id in shown]
            for number, question in enumerate(asked, start=1):
                answer = answers.get(question.id)
                given = (
                    display_answer(questions, question.id, answer.raw, language) if answer else ""
                )
                lines.append(f"{number}. {question.text(language)}")
                lines.append("   " + _("Answer: %(answer)s") % {"answer": given or "—"})
                if answer is not None and answer.comment:
                    lines.append("   " + _("Comment: %(comment)s") % {"comment": answer.comment})
            bodies.append("\n".join(lines))
    subject = " / ".join(subjects)
    body = "\n\n----------\n\n".join(bodies)
    recipient = questionnaire.contact_email
    if recipient:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [recipient], fail_silently=True)
        )


def weak_answers(questionnaire: Questionnaire) -> Iterable[Answer]:
    questions = questionnaire.question_set()
    for answer in questionnaire.answers.all():
        if _weak_options(questions, answer):
            yield answer


# --- Members' own question sets ------------------------------------------------------


class QuestionSetRefused(NotAllowed):
    """The set's state forbids the step (nothing to publish, no published version)."""

    code = "question_set_refused"


def _unique_key(company_id: int, wanted: str) -> str:
    taken = set(
        MemberQuestionSet.objects.filter(company_id=company_id).values_list("key", flat=True)
    )
    key, n = wanted[:34], 2
    candidate = key
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    return candidate


def create_set(
    company_id: int,
    *,
    key: str,
    title_en: str,
    title_es: str,
    roles: list[str] | None = None,
    by: User | None = None,
) -> MemberQuestionSet:
    """A new empty set of the member, to fill with questions and publish."""
    doc = builder.read_document(
        {"template": {key: {"roles": roles or [], "en": title_en, "es": title_es}}, "question": []}
    )
    if MemberQuestionSet.objects.filter(company_id=company_id, key=key).exists():
        raise builder.SetFileError(
            [f"template {key}: the key is taken by another of your sets; choose another."]
        )
    return MemberQuestionSet.objects.create(
        company_id=company_id, key=key, draft=doc, created_by=by
    )


def copy_shipped(
    company_id: int, template_key: str, *, by: User | None = None
) -> MemberQuestionSet:
    """A copy of a shipped set for the member to edit: every question with its answers."""
    if template_key not in bank().sets:
        raise Invalid(_("There is no shipped question set “%(key)s”.") % {"key": template_key})
    key = _unique_key(company_id, f"{template_key}-copy")
    return MemberQuestionSet.objects.create(
        company_id=company_id,
        key=key,
        draft=builder.from_shipped(template_key, key),
        based_on=template_key,
        created_by=by,
    )


def _redraft(question_set: MemberQuestionSet, doc: dict[str, Any]) -> MemberQuestionSet:
    checked = builder.read_document(doc, source=question_set.key)
    with transaction.atomic():
        fresh = MemberQuestionSet.objects.select_for_update().get(pk=question_set.pk)
        fresh.draft = checked
        fresh.save(update_fields=["draft", "updated_at"])
    question_set.draft = checked
    return question_set


def save_details(
    question_set: MemberQuestionSet, *, title_en: str, title_es: str, roles: list[str]
) -> MemberQuestionSet:
    """Change the set's title and the partner roles it is meant for."""
    doc = dict(question_set.draft)
    template = dict(next(iter(doc["template"].values())))
    template.update(en=title_en, es=title_es, roles=roles)
    doc["template"] = {question_set.key: template}
    return _redraft(question_set, doc)


def save_question(
    question_set: MemberQuestionSet, entry: dict[str, Any], *, replaces: str | None = None
) -> MemberQuestionSet:
    """Add a question at the end (or replace question `replaces` in place, keeping its
    follow-ups pointing at it when the id changes). The whole set is checked again."""
    questions = copy.deepcopy(question_set.draft["question"])
    doc = {**question_set.draft}
    doc["template"] = {
        k: {key: v for key, v in t.items() if key != "questions"}
        for k, t in question_set.draft["template"].items()
    }
    if replaces is None:
        questions.append(entry)
    else:
        position = next((n for n, q in enumerate(questions) if q["id"] == replaces), None)
        if position is None:
            raise NotFound(_("This question is not in the set."))
        questions[position] = entry
        for q in questions:
            if q.get("show_if", {}).get("question") == replaces:
                q["show_if"] = {**q["show_if"], "question": entry.get("id")}
    doc["question"] = questions
    return _redraft(question_set, doc)


def remove_question(question_set: MemberQuestionSet, question_id: str) -> MemberQuestionSet:
    """Take a question out of the draft; refused while a follow-up depends on it."""
    questions = [q for q in question_set.draft["question"] if q["id"] != question_id]
    if len(questions) == len(question_set.draft["question"]):
        raise NotFound(_("This question is not in the set."))
    followers = [q["id"] for q in questions if q.get("show_if", {}).get("question") == question_id]
    if followers:
        raise QuestionSetRefused(
            _("Remove or change the follow-ups of this question first: %(list)s.")
            % {"list": ", ".join(followers)}
        )
    doc = {**question_set.draft, "question": questions}
    doc["template"] = {
        k: {key: v for key, v in t.items() if key != "questions"}
        for k, t in question_set.draft["template"].items()
    }
    return _redraft(question_set, doc)


def move_question(
    question_set: MemberQuestionSet, question_id: str, step: int
) -> MemberQuestionSet:
    """Move a question one place up (-1) or down (+1); a follow-up stays after its question."""
    questions = list(question_set.draft["question"])
    position = next((n for n, q in enumerate(questions) if q["id"] == question_id), None)
    if position is None:
        raise NotFound(_("This question is not in the set."))
    target = position + step
    if not 0 <= target < len(questions):
        return question_set
    questions[position], questions[target] = questions[target], questions[position]
    doc = {**question_set.draft, "question": questions}
    doc["template"] = {
        k: {**{key: v for key, v in t.items() if key != "questions"}}
        for k, t in question_set.draft["template"].items()
    }
    try:
        return _redraft(question_set, doc)
    except builder.SetFileError:
        raise QuestionSetRefused(
            _("A follow-up must come after the question it follows.")
        ) from None


def publish(question_set: MemberQuestionSet, *, by: User | None = None) -> QuestionSetVersion:
    """Freeze the draft as the set's next version; questionnaires sent from now on ask it,
    those already sent keep theirs."""
    with transaction.atomic():
        fresh = MemberQuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if not fresh.draft.get("question"):
            raise QuestionSetRefused(_("Add at least one question before publishing."))
        latest = fresh.latest()
        if latest is not None and latest.content == fresh.draft:
            raise QuestionSetRefused(
                _("Nothing changed since version %(number)d.") % {"number": latest.number}
            )
        return QuestionSetVersion.objects.create(
            question_set=fresh,
            number=(latest.number + 1) if latest else 1,
            content=fresh.draft,
            published_by=by,
        )


def import_set(
    company_id: int, text: str, fmt: str, *, by: User | None = None, source: str = "file"
) -> tuple[MemberQuestionSet, bool]:
    """Read a TOML or YAML set. Its key names the set: an existing set of the member gets
    the file as its new draft (published versions stay), otherwise a new set is made.
    Returns the set and whether it is new. A bad file changes nothing."""
    doc = builder.parse_text(text, fmt, source=source)
    key = next(iter(doc["template"]))
    with transaction.atomic():
        found = (
            MemberQuestionSet.objects.select_for_update()
            .filter(company_id=company_id, key=key)
            .first()
        )
        if found is not None:
            found.draft = doc
            found.save(update_fields=["draft", "updated_at"])
            return found, False
        return (
            MemberQuestionSet.objects.create(
                company_id=company_id, key=key, draft=doc, created_by=by
            ),
            True,
        )


def _sendable(partner: BusinessPartner, question_set: MemberQuestionSet) -> QuestionSetVersion:
    if question_set.company_id != partner.company_id:
        raise NotFound(_("This question set is not yours."))
    version = question_set.latest()
    if version is None:
        raise QuestionSetRefused(_("Publish the question set before sending it."))
    roles = version.questions().roles
    if roles and partner.role not in roles:
        raise QuestionSetRefused(
            _("This question set is for other partner roles (%(roles)s).")
            % {"roles": ", ".join(roles)}
        )
    if not version.questions().for_role(partner.role).questions:
        raise QuestionSetRefused(_("No question of this set applies to this partner's role."))
    return version
