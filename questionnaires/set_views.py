"""The member's question-set builder: its sets and the shipped ones, a set's questions
with the add/edit form, publishing a version, import and export (TOML or YAML)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Company
from core import refusals
from core.http import AuthenticatedHttpRequest
from core.tenancy import get_for_user_or_404
from questionnaires import builder, workflow
from questionnaires.forms import KIND_LABELS, ImportForm, QuestionForm, SetForm
from questionnaires.models import MemberQuestionSet
from questionnaires.question_sets import bank

MAX_IMPORT_BYTES = 1_000_000


def _company(request: AuthenticatedHttpRequest, company_pk: int, action: str) -> Company:
    return get_for_user_or_404(Company, request.user, action, pk=company_pk)


def _set(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, action: str
) -> MemberQuestionSet:
    return get_for_user_or_404(
        MemberQuestionSet.objects.select_related("company"),
        request.user,
        action,
        pk=pk,
        company_id=company_pk,
    )


def _can_edit(request: AuthenticatedHttpRequest, company: Company) -> bool:
    return Company.objects.for_user(request.user, "edit").filter(pk=company.pk).exists()


def _list_page(
    request: AuthenticatedHttpRequest,
    company: Company,
    *,
    set_form: SetForm | None = None,
    import_form: ImportForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    sets = list(MemberQuestionSet.objects.filter(company=company).prefetch_related("versions"))
    return render(
        request,
        "questionnaires/set_list.html",
        {
            "company": company,
            "sets": [(s, max((v.number for v in s.versions.all()), default=None)) for s in sets],
            "shipped": list(bank().sets.values()),
            "set_form": set_form or SetForm(),
            "import_form": import_form or ImportForm(),
            "problems": problems or [],
            "can_edit": _can_edit(request, company),
        },
        status=status,
    )


@login_required
def set_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    return _list_page(request, _company(request, company_pk, "view"))


@login_required
@require_POST
def set_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit")
    form = SetForm(request.POST)
    if not form.is_valid():
        return _list_page(request, company, set_form=form, status=400)
    data = form.cleaned_data
    try:
        created = workflow.create_set(
            company.pk,
            key=data["key"],
            title_en=data["title_en"],
            title_es=data["title_es"],
            roles=data["roles"],
            by=request.user,
        )
    except builder.SetFileError as refusal:
        return _list_page(request, company, set_form=form, problems=refusal.problems, status=400)
    return redirect(created)


@login_required
@require_POST
def set_copy(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit")
    try:
        copied = workflow.copy_shipped(
            company.pk, request.POST.get("template", ""), by=request.user
        )
    except refusals.Refused as refusal:
        refusals.show(request, refusal)
        return redirect("questionnaires:set-list", company.pk)
    messages.success(request, _("Copied. Edit the questions, then publish a version."))
    return redirect(copied)


@login_required
@require_POST
def set_import(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = _company(request, company_pk, "edit")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, company, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    name = upload.name or "file"
    fmt = "yaml" if name.lower().endswith((".yaml", ".yml")) else "toml"
    problems: list[str] = []
    if upload.size > MAX_IMPORT_BYTES:
        problems = [
            _("%(name)s: larger than 1 MB; a question set is far smaller.") % {"name": name}
        ]
    else:
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems = [_("%(name)s: not UTF-8 text; save it as UTF-8.") % {"name": name}]
    if problems:
        return _list_page(request, company, import_form=form, problems=problems, status=400)
    try:
        imported, new = workflow.import_set(company.pk, text, fmt, by=request.user, source=name)
    except builder.SetFileError as refusal:
        return _list_page(request, company, import_form=form, problems=refusal.problems, status=400)
    messages.success(
        request,
        _("Imported as a new set.") if new else _("Imported as the draft of this set."),
    )
    return redirect(imported)


def _earlier_choices(question_set: MemberQuestionSet, before: str | None) -> list[tuple[str, str]]:
    found = []
    for entry in question_set.draft["question"]:
        if entry["id"] == before:
            break
        if entry["type"] in builder.CHOICE_TYPES:
            found.append((entry["id"], f"{entry['id']}: {entry['en'][:60]}"))
    return found


def _detail_page(
    request: AuthenticatedHttpRequest,
    question_set: MemberQuestionSet,
    *,
    form: QuestionForm | None = None,
    editing: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    company = question_set.company
    draft = question_set.draft_set()
    versions = list(question_set.versions.order_by("-number"))
    latest = versions[0] if versions else None
    template = next(iter(question_set.draft["template"].values()))
    return render(
        request,
        "questionnaires/set_detail.html",
        {
            "company": company,
            "question_set": question_set,
            "draft": draft,
            "rows": [(q, KIND_LABELS[q.kind]) for q in draft.questions],
            "versions": versions,
            "unpublished": latest is None or latest.content != question_set.draft,
            "form": form
            or QuestionForm(
                earlier=_earlier_choices(question_set, None),
                initial={"weight": 1, "required": True},
            ),
            "editing": editing,
            "details": SetForm(
                initial={
                    "key": question_set.key,
                    "title_en": template["en"],
                    "title_es": template["es"],
                    "roles": template.get("roles", []),
                }
            ),
            "problems": problems or [],
            "can_edit": _can_edit(request, company),
        },
        status=status,
    )


@login_required
def set_detail(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    return _detail_page(request, _set(request, company_pk, pk, "view"))


@login_required
@require_POST
def set_details(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    question_set = _set(request, company_pk, pk, "edit")
    posted = request.POST.copy()
    posted["key"] = question_set.key
    form = SetForm(posted)
    if not form.is_valid():
        return _detail_page(
            request,
            question_set,
            problems=[
                f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()
            ],
            status=400,
        )
    data = form.cleaned_data
    try:
        workflow.save_details(
            question_set, title_en=data["title_en"], title_es=data["title_es"], roles=data["roles"]
        )
    except builder.SetFileError as refusal:
        return _detail_page(request, question_set, problems=refusal.problems, status=400)
    messages.success(request, _("Saved."))
    return redirect(question_set)


@login_required
def question_edit(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, question_id: str | None = None
) -> HttpResponse:
    """GET: the form filled with the question. POST: add (no id in the URL) or save it."""
    question_set = _set(request, company_pk, pk, "edit" if request.method == "POST" else "view")
    entry = None
    if question_id is not None:
        entry = next((q for q in question_set.draft["question"] if q["id"] == question_id), None)
        if entry is None:
            return redirect(question_set)
    earlier = _earlier_choices(question_set, question_id)
    if request.method != "POST":
        initial = QuestionForm.initial_from(entry) if entry else None
        return _detail_page(
            request,
            question_set,
            form=QuestionForm(initial=initial, earlier=earlier),
            editing=question_id,
        )
    form = QuestionForm(request.POST, earlier=earlier)
    if not form.is_valid():
        return _detail_page(request, question_set, form=form, editing=question_id, status=400)
    try:
        workflow.save_question(question_set, form.entry(), replaces=question_id)
    except builder.SetFileError as refusal:
        return _detail_page(
            request,
            question_set,
            form=form,
            editing=question_id,
            problems=refusal.problems,
            status=400,
        )
    except refusals.Refused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Question saved in the draft."))
    return HttpResponseRedirect(question_set.get_absolute_url() + "#questions")


@login_required
@require_POST
def question_remove(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, question_id: str
) -> HttpResponse:
    question_set = _set(request, company_pk, pk, "edit")
    try:
        workflow.remove_question(question_set, question_id)
    except refusals.Refused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(request, _("Question removed from the draft."))
    return redirect(question_set)


@login_required
@require_POST
def question_move(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, question_id: str
) -> HttpResponse:
    question_set = _set(request, company_pk, pk, "edit")
    try:
        workflow.move_question(
            question_set, question_id, -1 if request.POST.get("direction") == "up" else 1
        )
    except refusals.Refused as refusal:
        refusals.show(request, refusal)
    return HttpResponseRedirect(question_set.get_absolute_url() + "#questions")


@login_required
@require_POST
def set_publish(request: AuthenticatedHttpRequest, company_pk: int, pk: int) -> HttpResponse:
    question_set = _set(request, company_pk, pk, "edit")
    try:
        version = workflow.publish(question_set, by=request.user)
    except refusals.Refused as refusal:
        refusals.show(request, refusal)
    else:
        messages.success(
            request,
            _("Version %(number)d published; questionnaires sent from now on ask it.")
            % {"number": version.number},
        )
    return redirect(question_set)


@login_required
def set_export(
    request: AuthenticatedHttpRequest, company_pk: int, pk: int, fmt: str
) -> HttpResponse:
    """The draft (or `?version=N`, a published version) as TOML or YAML."""
    question_set = _set(request, company_pk, pk, "view")
    if fmt not in builder.FORMATS:
        raise Http404
    content: dict[str, Any] = question_set.draft
    suffix = "draft"
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        version = question_set.versions.filter(number=int(wanted)).first()
        if version is not None:
            content, suffix = version.content, f"v{version.number}"
    text = builder.dump(content, fmt)
    response = HttpResponse(
        text,
        content_type="application/toml; charset=utf-8"
        if fmt == "toml"
        else "application/yaml; charset=utf-8",
    )
    name = slugify(question_set.key) or "question-set"
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}.{fmt}"'
    return response
