"""Business verbs of partner questionnaires: send, open by link, answer, submit, revoke.

The link token is random (256 bits) and only its SHA-256 is stored, so a database dump
reveals no working link; the token names one questionnaire of one partner and nothing else.
Submitting locks the questionnaire, scores it and turns every weak answer into a corrective
action of the member (MSC 3.6), due sooner for a Must criterion than for a Should.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
from core.refusals import Invalid, NotAllowed
from notices.workflow import notify, recipients
from partners.models import BusinessPartner
from questionnaires.models import (
    AWAITING,
    DEFAULT_VALID_DAYS,
    Answer,
    Questionnaire,
    Status,
    hash_token,
)
from questionnaires.question_sets import Bank, QuestionSet, bank

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


def compute_score(questions: QuestionSet, chosen: Mapping[str, str], scale: Bank) -> Score:
    """Weighted score: each applicable answered question adds its weight times the
    answer's score; the total is divided by the weights of those questions. Questions
    answered "not applicable" are left out of both. None when nothing counts."""
    earned = Decimal(0)
    possible = 0
    for question in questions.questions:
        option = scale.option(chosen.get(question.id, ""))
        if option is None or not option.counts:
            continue
        earned += Decimal(question.weight) * Decimal(str(option.score))
        possible += question.weight
    if not possible:
        return Score(None, "", earned, 0)
    percent = (earned * 100 / possible).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    band = next(name for floor, name in BANDS if percent >= floor)
    return Score(percent, band, earned, possible)


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
    questions = bank().asked(questionnaire.template_key, questionnaire.partner_role)
    if previous is None or questions is None:
        return 0
    asked = {q.id for q in questions.questions}
    copied = [
        Answer(
            questionnaire=questionnaire,
            question_id=old.question_id,
            criterion_ref=old.criterion_ref,
            option=old.option,
            comment=old.comment,
            answered_by=old.answered_by,
            answered_at=old.answered_at,
            from_last_year=True,
        )
        for old in previous.answers.filter(question_id__in=asked)
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
) -> tuple[Questionnaire, str]:
    """Create a questionnaire for the partner's role, pre-filled from last time, and
    e-mail the link (after commit). Returns the questionnaire and the link token, which is
    not stored and cannot be shown again. `site` is the address the portal is served on
    (`core.siteurl.site_url(request)`); empty: `SITE_URL`."""
    now = now or timezone.now()
    questions = bank().for_role(partner.role)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            company_id=partner.company_id,
            partner=partner,
            template_key=questions.key,
            partner_role=partner.role,
            template_version=questions.version,
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


# --- Answering -----------------------------------------------------------------------


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    fresh = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if fresh.status not in AWAITING:
        raise QuestionnaireClosed(_("This questionnaire is submitted or closed; it cannot change."))
    return fresh


def save_answers(
    questionnaire: Questionnaire,
    answered_by: str,
    answers: Mapping[str, tuple[str, str]],
    now: datetime.datetime | None = None,
) -> list[Answer]:
    """Store the answers given ({question id: (option, comment)}). Only answers that
    differ from what is stored are written, so each answer keeps the name of the person
    who last changed it; an answer taken from last year stays marked so until changed."""
    name = answered_by.strip()
    if not name:
        raise AnswerInvalid(
            _("Enter your name so the member knows who answered."), code="name_required"
        )
    questions = questionnaire.question_set()
    scale = bank()
    changed: list[Answer] = []
    with transaction.atomic():
        fresh = _locked(questionnaire)
        existing = {a.question_id: a for a in fresh.answers.all()}
        for qid, (option_key, comment) in answers.items():
            question = questions.question(qid)
            option = scale.option(option_key)
            if question is None or option is None:
                raise AnswerInvalid(
                    _("Unknown answer “%(answer)s” to question %(question)s.")
                    % {"answer": option_key, "question": qid}
                )
            if not option.counts and not question.allow_na:
                raise AnswerInvalid(
                    _("“%(question)s” cannot be answered “not applicable”.")
                    % {"question": question.text()}
                )
            comment = comment.strip()
            answer = existing.get(qid)
            if answer is not None and (answer.option, answer.comment) == (option_key, comment):
                continue
            answer = answer or Answer(questionnaire=fresh, question_id=qid)
            answer.criterion_ref = question.criterion
            answer.option = option_key
            answer.comment = comment
            answer.answered_by = name
            answer.answered_at = now or timezone.now()
            answer.from_last_year = False
            answer.save()
            changed.append(answer)
        if fresh.status == Status.SENT:
            fresh.status = Status.IN_PROGRESS
            fresh.save(update_fields=["status", "updated_at"])
    questionnaire.status = fresh.status
    return changed


def missing_questions(questionnaire: Questionnaire) -> list[str]:
    questions = questionnaire.question_set()
    answered = set(questionnaire.answers.values_list("question_id", flat=True))
    return [q.id for q in questions.questions if q.id not in answered]


def _action_owner(partner: BusinessPartner) -> int | None:
    owner = partner.relationship_owner_id
    if owner and Membership.objects.filter(user_id=owner, company_id=partner.company_id).exists():
        return owner
    return None


def raise_actions(questionnaire: Questionnaire, today: datetime.date) -> list[CorrectiveAction]:
    """One corrective action of the member per weak answer, linked to the answer."""
    questions = questionnaire.question_set()
    scale = bank()
    answer_type = ContentType.objects.get_for_model(Answer)
    owner = _action_owner(questionnaire.partner)
    created = []
    for answer in questionnaire.answers.all():
        option = scale.option(answer.option)
        question = questions.question(answer.question_id)
        if option is None or question is None or not option.weak:
            continue
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
                "criterion": question.criterion,
                "level": question.level.capitalize(),
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
        chosen = dict(fresh.answers.values_list("question_id", "option"))
        score = compute_score(questions, chosen, bank())
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
    scale = bank()
    answers = {a.question_id: a for a in questionnaire.answers.all()}
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
            for number, question in enumerate(questions.questions, start=1):
                answer = answers.get(question.id)
                option = scale.option(answer.option) if answer else None
                lines.append(f"{number}. {question.text(language)}")
                lines.append(
                    "   "
                    + _("Answer: %(answer)s")
                    % {"answer": option.label(language) if option else "—"}
                )
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
    scale = bank()
    for answer in questionnaire.answers.all():
        option = scale.option(answer.option)
        if option is not None and option.weak:
            yield answer
