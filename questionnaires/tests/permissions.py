"""Permission cases for this app's pages and API (walked by core's permission matrix).

The partner's pages under /q/ are public: the link token alone opens one questionnaire,
whoever is signed in (or not)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partners.models import BusinessPartner
from portal.testing import ANY_USER, EDITORS, PUBLIC, VIEWERS, PermissionCase
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


def _make_submitted(t: Any) -> None:
    from questionnaires.tests.test_questionnaires import all_answers

    _make(t)
    answers = {k[7:]: (v, "") for k, v in all_answers(t.questionnaire).items()}
    workflow.save_answers(t.questionnaire, "Ana", answers)
    workflow.submit(t.questionnaire, "Ana")


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


SET_TOML = """
[template.perm-set]
en = "Gate security"
es = "Seguridad de accesos"

[[question]]
id = "gate-log"
type = "yes_no"
en = "Gate log?"
es = "¿Registro de accesos?"
"""


def _toml_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("gates.toml", SET_TOML.encode(), content_type="application/toml")


def _make_set(t: Any) -> None:
    t.question_set, _new = workflow.import_set(t.company.pk, SET_TOML, "toml")


def _set_url(name: str, *extra: Any) -> Any:
    return _url(name, company, lambda t: t.question_set.pk, *extra)


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
        "questionnaires:questionnaire-reviewed",
        _url("questionnaires:questionnaire-reviewed", company, questionnaire),
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
    C("questionnaires:set-list", _url("questionnaires:set-list", company), VIEWERS),
    C(
        "questionnaires:set-create",
        _url("questionnaires:set-create", company),
        EDITORS,
        method="post",
        data=lambda t: {"key": "mine", "title_en": "Mine", "title_es": "Mío"},
    ),
    C(
        "questionnaires:set-copy",
        _url("questionnaires:set-copy", company),
        EDITORS,
        method="post",
        data=lambda t: {"template": "warehouse"},
    ),
    C(
        "questionnaires:set-import",
        _url("questionnaires:set-import", company),
        EDITORS,
        method="post",
        data=lambda t: {"file": _toml_upload()},
    ),
    C("questionnaires:set-detail", _set_url("questionnaires:set-detail"), VIEWERS, setup=_make_set),
    C(
        "questionnaires:set-details",
        _set_url("questionnaires:set-details"),
        EDITORS,
        method="post",
        setup=_make_set,
        data=lambda t: {"title_en": "Gates", "title_es": "Accesos"},
    ),
    C(
        "questionnaires:set-publish",
        _set_url("questionnaires:set-publish"),
        EDITORS,
        method="post",
        setup=_make_set,
    ),
    C(
        "questionnaires:set-export",
        _set_url("questionnaires:set-export", "toml"),
        VIEWERS,
        setup=_make_set,
    ),
    C(
        "questionnaires:question-add",
        _set_url("questionnaires:question-add"),
        EDITORS,
        method="post",
        setup=_make_set,
        data=lambda t: {"id": "cctv", "type": "text", "en": "CCTV?", "es": "¿CCTV?", "weight": 1},
    ),
    C(
        "questionnaires:question-edit",
        _set_url("questionnaires:question-edit", "gate-log"),
        VIEWERS,
        setup=_make_set,
    ),
    C(
        "questionnaires:question-edit",
        _set_url("questionnaires:question-edit", "gate-log"),
        EDITORS,
        method="post",
        setup=_make_set,
        data=lambda t: {
            "id": "gate-log",
            "type": "yes_no",
            "en": "Log?",
            "es": "¿Log?",
            "weight": 2,
        },
    ),
    C(
        "questionnaires:question-move",
        _set_url("questionnaires:question-move", "gate-log"),
        EDITORS,
        method="post",
        setup=_make_set,
        data=lambda t: {"direction": "down"},
    ),
    C(
        "questionnaires:question-remove",
        _set_url("questionnaires:question-remove", "gate-log"),
        EDITORS,
        method="post",
        setup=_make_set,
    ),
    C("api:question-set-list", _url("api:question-set-list"), ANY_USER, api=True),
    C(
        "api:question-set-list",
        _url("api:question-set-list"),
        EDITORS,
        api=True,
        method="post",
        data=lambda t: {"company": t.company.pk, "format": "toml", "text": SET_TOML},
        ok=(200, 201),
    ),
    C(
        "api:question-set-detail",
        lambda t: reverse("api:question-set-detail", args=[t.question_set.pk]),
        VIEWERS,
        api=True,
        setup=_make_set,
    ),
    C(
        "api:question-set-publish",
        lambda t: reverse("api:question-set-publish", args=[t.question_set.pk]),
        EDITORS,
        api=True,
        method="post",
        setup=_make_set,
        ok=(201,),
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
    C(
        "api:questionnaire-reviewed",
        _url("api:questionnaire-reviewed", questionnaire),
        EDITORS,
        method="post",
        api=True,
        setup=_make_submitted,
    ),
]
