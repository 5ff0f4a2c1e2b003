"""Permission cases for this app's pages and API (walked by core's permission matrix).

The partner's pages under /q/ are public: the link token alone opens one questionnaire,
whoever is signed in (or not)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.testing import ANY_USER, EDITORS, PUBLIC, VIEWERS, PermissionCase
from partners.models import BusinessPartner
from questionnaires import workflow
from questionnaires.models import AnswerEvidence

C = PermissionCase


def _url(name: str, *args: Any) -> Any:
    return lambda t: reverse(name, args=[a(t) if callable(a) else a for a in args])


def company(t: Any) -> int:
    return int(t.company.pk)


def partner(t: Any) -> int:
    return int(t.partner.pk)


def questionnaire(t: Any) -> int:
    return int(t.questionnaire.pk)


def _make(t: Any) -> None:
    t.partner = BusinessPartner.objects.create(
        company=t.company,
        name="Bodega Sur",
        role="warehouse",
        country="MX",
        contact_email="seguridad@bodegasur.test",
    )
    t.questionnaire, t.token = workflow.send(t.partner, contact_email="seguridad@bodegasur.test")


def _make_with_file(t: Any) -> None:
    _make(t)
    workflow.save_answers(t.questionnaire, "Ana", {"perimeter": ("yes", "")})
    answer = t.questionnaire.answers.get(question_id="perimeter")
    evidence = AnswerEvidence(answer=answer, uploaded_by_name="Ana")
    evidence.file.name = "questionnaires/missing.pdf"
    evidence.original_name = "fence.pdf"
    evidence.content_type = "text/plain"
    evidence.size = 1
    evidence.sha256 = "0" * 64
    evidence.save()
    t.evidence = evidence


def _write_file(t: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    _make_with_file(t)
    t.evidence.file.name = default_storage.save("questionnaires/perm.txt", ContentFile(b"ok"))
    t.evidence.save()


def _link(t: Any) -> str:
    return reverse("questionnaire-links:answer", args=[t.token])


CASES = [
    C(
        "questionnaires:questionnaire-list",
        _url("questionnaires:questionnaire-list", company),
        VIEWERS,
    ),
    C(
        "questionnaires:partner-questionnaires",
        _url("questionnaires:partner-questionnaires", company, partner),
        VIEWERS,
        setup=_make,
    ),
    C(
        "questionnaires:questionnaire-send",
        _url("questionnaires:questionnaire-send", company, partner),
        EDITORS,
        method="post",
        setup=_make,
        data=lambda t: {"contact_email": "ops@bodegasur.test", "valid_days": 30},
    ),
    C(
        "questionnaires:questionnaire-detail",
        _url("questionnaires:questionnaire-detail", company, questionnaire),
        VIEWERS,
        setup=_make,
    ),
    C(
        "questionnaires:questionnaire-revoke",
        _url("questionnaires:questionnaire-revoke", company, questionnaire),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "questionnaires:questionnaire-relink",
        _url("questionnaires:questionnaire-relink", company, questionnaire),
        EDITORS,
        method="post",
        setup=_make,
    ),
    C(
        "questionnaires:evidence-download",
        _url("questionnaires:evidence-download", company, questionnaire, lambda t: t.evidence.pk),
        VIEWERS,
        setup=_write_file,
    ),
    # Public: the partner needs no account; the token is the only key.
    C("questionnaire-links:answer", _link, PUBLIC, setup=_make),
    C(
        "questionnaire-links:answer",
        _link,
        PUBLIC,
        method="post",
        setup=_make,
        data=lambda t: {"name": "Ana Ruiz", "answer-perimeter": "yes", "action": "save"},
    ),
    C(
        "questionnaire-links:evidence",
        lambda t: reverse("questionnaire-links:evidence", args=[t.token, t.evidence.pk]),
        PUBLIC,
        setup=_write_file,
    ),
    C("api:questionnaire-list", _url("api:questionnaire-list"), ANY_USER, api=True),
    C(
        "api:questionnaire-detail",
        _url("api:questionnaire-detail", questionnaire),
        VIEWERS,
        api=True,
        setup=_make,
    ),
]
