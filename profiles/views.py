"""Security profile pages: the criteria list with progress and filters, one criterion's
answer with its evidence (autosaved with HTMX), readiness and gaps, exports, the officer's
submission with its history and differences, and the annual review."""

from __future__ import annotations

import html
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.reauth import ask_for_mfa, mfa_recently_confirmed
from catalogue.changes import compare
from catalogue.models import Catalogue, Criterion
from companies.context_processors import remember_company
from companies.models import Company
from core import export_jobs, files, idempotency
from core.clientip import client_address
from core.http import AuthenticatedHttpRequest
from core.lists import ListSpec, col, render_list
from core.refusals import Refused
from core.tenancy import get_for_user_or_404, roles_allowing
from profiles import annual, exports, workflow
from profiles.choices import ResponseStatus
from profiles.filters import SubmissionFilter
from profiles.forms import (
    BulkForm,
    EvidenceForm,
    EvidenceVersionForm,
    NoChangeForm,
    ProfileFilterForm,
    ResponseForm,
    RowForm,
    SubmitForm,
    member_choices,
)
from profiles.linked import linked_records
from profiles.models import (
    AnnualReview,
    EditConflict,
    Evidence,
    EvidenceFile,
    NoCatalogue,
    Response,
    Row,
    SecurityProfile,
    Submission,
)
from profiles.readiness import WEIGHTS
from profiles.snapshots import diff_snapshots, status_label


def _role(request: AuthenticatedHttpRequest, company: Company) -> tuple[str | None, bool]:
    """The user's role in the company and whether it may edit (one query for both;
    program-office staff have no role and never edit)."""
    role = company.role_of(request.user)
    return role, role in roles_allowing("edit")


def _profile(request: AuthenticatedHttpRequest, company: Company, *, edit: bool) -> SecurityProfile:
    """The company's profile for the catalogue in force. Members who may edit start it;
    readers (viewers, program office) see an unsaved empty one instead of writing to a
    member's records. Raises NoCatalogue when no catalogue is loaded."""
    if edit:
        return SecurityProfile.start(company)
    profile = SecurityProfile.current_for(company)
    if profile is None:
        catalogue = Catalogue.objects.latest_published()
        if catalogue is None:
            raise NoCatalogue
        profile = SecurityProfile(company=company, catalogue=catalogue)
    return profile


def _no_catalogue(request: HttpRequest, company: Company) -> HttpResponse:
    return render(request, "profiles/no_catalogue.html", {"company": company})


def _rows(profile: SecurityProfile, may_edit: bool, **kwargs: Any) -> list[Row]:
    rows = profile.rows(**kwargs)
    if may_edit and any(row.response.pk is None for row in rows):
        profile.ensure_responses([row.criterion for row in rows])
        rows = profile.rows(**kwargs)
    return rows


@login_required
def profile_detail(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    remember_company(request, company)
    role, may_edit = _role(request, company)
    try:
        profile = _profile(request, company, edit=may_edit)
    except NoCatalogue:
        return _no_catalogue(request, company)
    rows = _rows(profile, may_edit)
    readiness = profile.readiness(rows)
    filters = ProfileFilterForm(request.GET or None, company=company)
    visible = [row for row in rows if filters.matches(row)]
    by_category: dict[int, list[Row]] = {}
    for row in visible:
        by_category.setdefault(row.criterion.category_number, []).append(row)
    groups = [(c, by_category[c.number]) for c in readiness.categories if c.number in by_category]
    context = {
        "company": company,
        "profile": profile,
        "readiness": readiness,
        "groups": groups,
        "shown": len(visible),
        "filters": filters,
        "may_edit": may_edit,
        "may_sign": role == "officer",
        "last_submission": profile.last_submission(),
        "cycle": annual.current_cycle(company),
        # Rows link to criteria/<pk>/; reversing once is cheaper than once per row.
        "criteria_url": reverse("profiles:profile-detail", args=[company.pk]) + "criteria/",
    }
    return render(request, "profiles/profile_detail.html", context)


def _criterion(profile: SecurityProfile, criterion_pk: int) -> Criterion:
    criteria = profile.catalogue.criteria_for(profile.company.business_type)
    return get_object_or_404(criteria, pk=criterion_pk)


def _response_page(
    request: HttpRequest,
    profile: SecurityProfile,
    criterion: Criterion,
    response: Response,
    *,
    may_edit: bool,
    form: ResponseForm | None = None,
    evidence_form: EvidenceForm | None = None,
    conflict: Response | None = None,
    status: int = 200,
) -> HttpResponse:
    company = profile.company
    if form is None and may_edit:
        form = ResponseForm(instance=response, company=company)
    evidence = (
        list(Evidence.objects.filter(response=response).prefetch_related("files"))
        if response.pk
        else []
    )
    ids = list(profile.catalogue.criteria_for(company.business_type).values_list("pk", flat=True))
    position = ids.index(criterion.pk)
    context = {
        "company": company,
        "profile": profile,
        "criterion": criterion,
        "requirement": getattr(criterion, "effective_requirement", criterion.requirement),
        "verified": criterion.is_verified_for(company.business_type),
        "response": response,
        "form": form,
        "evidence": evidence,
        "evidence_form": evidence_form or (EvidenceForm() if may_edit else None),
        "version_form": EvidenceVersionForm() if may_edit else None,
        "conflict": conflict,
        "may_edit": may_edit,
        "autosave": conflict is None,
        "previous_pk": ids[position - 1] if position > 0 else None,
        "next_pk": ids[position + 1] if position + 1 < len(ids) else None,
        "today": timezone.localdate(),
        "linked": linked_records(company, criterion.ref_id),
    }
    if getattr(request, "htmx", False) and (status != 200 or conflict is not None):
        # htmx swaps only 2xx answers: send the form with its errors or the conflict
        # in place of the whole form, with a 200.
        result = render(request, "profiles/_response_form.html", context)
        result["HX-Retarget"] = "#response-form"
        result["HX-Reswap"] = "outerHTML"
        return result
    return render(request, "profiles/response_edit.html", context, status=status)


@login_required
def response_edit(
    request: AuthenticatedHttpRequest, company_pk: int, criterion_pk: int
) -> HttpResponse:
    """One criterion: GET shows it to every reader; POST saves the answer (editors).

    The form names the version it was opened at. If someone saved in between, nothing is
    overwritten: the page shows their answer and who saved it when, keeps this editor's
    text in the form, and a second save replaces theirs on purpose."""
    action = "edit" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    _r, may_edit = _role(request, company)
    try:
        profile = _profile(request, company, edit=may_edit)
    except NoCatalogue as exc:
        raise Http404 from exc
    criterion = _criterion(profile, criterion_pk)
    if may_edit:
        response = profile.response_for(criterion)
    else:
        response = (
            Response.objects.filter(profile_id=profile.pk, criterion=criterion)
            .select_related("owner", "updated_by")
            .first()
            if profile.pk
            else None
        ) or Response(profile=profile, criterion=criterion)
    if request.method != "POST":
        return _response_page(request, profile, criterion, response, may_edit=may_edit)
    form = ResponseForm(request.POST, instance=response, company=company)
    if not form.is_valid():
        return _response_page(
            request, profile, criterion, response, may_edit=True, form=form, status=400
        )
    try:
        saved = response.save_edit(
            form.changes(), by=request.user, base_version=form.cleaned_data["version"]
        )
    except EditConflict as exc:
        # Keep this editor's text; the next save starts from the current version.
        data = request.POST.copy()
        data["version"] = str(exc.current.version)
        form.data = data
        return _response_page(
            request,
            profile,
            criterion,
            exc.current,
            may_edit=True,
            form=form,
            conflict=exc.current,
            status=409,
        )
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return _response_page(
            request, profile, criterion, response, may_edit=True, form=form, status=400
        )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "profiles/_save_status.html", {"response": saved})
    messages.success(request, _("Saved."))
    return redirect(saved.get_absolute_url())


def _grid_context(
    request: AuthenticatedHttpRequest, company: Company, profile: SecurityProfile
) -> dict[str, Any]:
    rows = _rows(profile, True)
    categories = sorted({(r.criterion.category_number, r.criterion.category_name) for r in rows})
    filters = ProfileFilterForm(request.GET or None, company=company, categories=categories)
    visible = [row for row in rows if filters.matches(row)]
    members = list(member_choices(company))
    return {
        "company": company,
        "profile": profile,
        "filters": filters,
        "rows": visible,
        "total": len(rows),
        "members": members,
        "statuses": [(v, label) for v, label in ResponseStatus.choices if v],
        "bulk": BulkForm(company=company),
        "query": request.GET.urlencode(),
        "criteria_url": reverse("profiles:profile-detail", args=[company.pk]) + "criteria/",
    }


@login_required
def response_grid(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Every criterion in one table: status, owner and due date edited in place (each row
    saves on change) or for many rows at once (tick rows, or take every row the filter
    shows, and apply). Narrative and evidence stay on the criterion page."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    remember_company(request, company)
    try:
        profile = SecurityProfile.start(company)
    except NoCatalogue:
        return _no_catalogue(request, company)
    return render(request, "profiles/response_grid.html", _grid_context(request, company, profile))


@login_required
@require_POST
def response_row(
    request: AuthenticatedHttpRequest, company_pk: int, criterion_pk: int
) -> HttpResponse:
    """One row of the grid saved (HTMX): the row comes back with its new version and a
    "Saved" mark, the errors, or the answer someone else saved meanwhile."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    try:
        profile = SecurityProfile.start(company)
    except NoCatalogue as exc:
        raise Http404 from exc
    criterion = _criterion(profile, criterion_pk)
    response = profile.response_for(criterion)
    form = RowForm(request.POST, company=company)
    context: dict[str, Any] = {
        "company": company,
        "members": list(member_choices(company)),
        "statuses": [(v, label) for v, label in ResponseStatus.choices if v],
        "criteria_url": reverse("profiles:profile-detail", args=[company.pk]) + "criteria/",
    }
    saved = response
    if not form.is_valid():
        context["errors"] = [
            f"{form.fields[n].label}: {' '.join(str(m) for m in e)}" for n, e in form.errors.items()
        ]
    else:
        data = form.cleaned_data
        changes = {"status": data["status"], "owner": data["owner"], "due_date": data["due_date"]}
        try:
            saved = response.save_edit(changes, by=request.user, base_version=data["version"])
        except EditConflict as exc:
            saved = exc.current
            context["errors"] = [exc.message]
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            context["saved"] = True
    saved.criterion = criterion
    context["row"] = Row(criterion, saved)
    status = 400 if context.get("errors") and not getattr(request, "htmx", False) else 200
    return render(request, "profiles/_grid_row.html", context, status=status)


@login_required
@require_POST
def response_bulk(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Apply one status / owner / due date to the ticked rows or to every row shown."""
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    try:
        profile = SecurityProfile.start(company)
    except NoCatalogue as exc:
        raise Http404 from exc
    form = BulkForm(request.POST, company=company)
    context = _grid_context(request, company, profile)
    grid_url = reverse("profiles:response-grid", args=[company.pk])
    if context["query"]:
        grid_url += "?" + context["query"]
    error = ""
    if not form.is_valid():
        error = " ".join(
            f"{form.fields[n].label}: {' '.join(str(m) for m in e)}"
            if n in form.fields
            else " ".join(str(m) for m in e)
            for n, e in form.errors.items()
        )
    else:
        if form.cleaned_data["scope"] == "shown":
            ids = [row.criterion.pk for row in context["rows"]]
        else:
            ids = [int(v) for v in request.POST.getlist("criteria") if v.isdigit()]
        try:
            changed = workflow.bulk_set(profile, ids, form.changes(), by=request.user)
        except Refused as refusal:
            error = refusal.message
        else:
            note = ngettext(
                "%(count)d answer changed.", "%(count)d answers changed.", len(changed)
            ) % {"count": len(changed)}
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, note)
        return redirect(grid_url)
    context = _grid_context(request, company, profile)
    context["bulk"] = form if error else BulkForm(company=company)
    context["bulk_error"] = error
    context["bulk_note"] = "" if error else note
    return render(request, "profiles/_grid.html", context)


@login_required
@require_POST
def evidence_upload(
    request: AuthenticatedHttpRequest, company_pk: int, criterion_pk: int
) -> HttpResponse:
    company = get_for_user_or_404(Company, request.user, "edit", pk=company_pk)
    try:
        profile = SecurityProfile.start(company)
    except NoCatalogue as exc:
        raise Http404 from exc
    criterion = _criterion(profile, criterion_pk)
    response = profile.response_for(criterion)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _response_page(
            request, profile, criterion, response, may_edit=True, evidence_form=form, status=400
        )
    with transaction.atomic():
        claimed = idempotency.claim(request)
        if isinstance(claimed, HttpResponse):
            return claimed  # a retried form: the first upload's answer, nothing new
        evidence = workflow.add_evidence(
            response,
            title=form.cleaned_data["title"],
            expires_on=form.cleaned_data["expires_on"],
            upload=form.cleaned_data["file"],
            by=request.user,
        )
        idempotency.done(claimed, response.get_absolute_url())
    messages.success(request, _("Evidence “%(title)s” uploaded.") % {"title": evidence.title})
    return redirect(response.get_absolute_url())


@login_required
@require_POST
def evidence_version_upload(
    request: AuthenticatedHttpRequest, company_pk: int, evidence_pk: int
) -> HttpResponse:
    """A new version of an evidence document; the earlier versions stay."""
    evidence = get_for_user_or_404(
        Evidence.objects.select_related("response__profile__company", "response__criterion"),
        request.user,
        "edit",
        pk=evidence_pk,
        response__profile__company_id=company_pk,
    )
    response = evidence.response
    form = EvidenceVersionForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect(response.get_absolute_url())
    file = workflow.add_evidence_version(
        evidence, upload=form.cleaned_data["file"], by=request.user
    )
    messages.success(
        request,
        _("Version %(version)s of “%(title)s” uploaded.")
        % {"version": file.version, "title": evidence.title},
    )
    return redirect(response.get_absolute_url())


@login_required
def evidence_download(
    request: AuthenticatedHttpRequest, company_pk: int, file_pk: int
) -> HttpResponseBase:
    return files.serve_for_user(
        request,
        EvidenceFile,
        "file",
        pk=file_pk,
        evidence__response__profile__company_id=company_pk,
    )


@login_required
def gap_report(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Readiness per category (chart and formula) and the unmet criteria, Musts first."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    try:
        profile = _profile(request, company, edit=False)
    except NoCatalogue:
        return _no_catalogue(request, company)
    rows = profile.rows()
    readiness = profile.readiness(rows)
    context = {
        "company": company,
        "profile": profile,
        "readiness": readiness,
        "gaps": exports.gaps(rows),
        "weights": WEIGHTS,
        "today": timezone.localdate(),
        "criteria_url": reverse("profiles:profile-detail", args=[company.pk]) + "criteria/",
    }
    return render(request, "profiles/gap_report.html", context)


@login_required
def profile_export(
    request: AuthenticatedHttpRequest, company_pk: int, document: str, fmt: str
) -> HttpResponseBase:
    """The profile or the gap report as an Excel workbook or a PDF: at once for a small
    profile, else built in the background with a progress page."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    try:
        profile = _profile(request, company, edit=False)
    except NoCatalogue as exc:
        raise Http404 from exc
    if document not in exports.DOCUMENTS or fmt not in exports.FORMATS:
        raise Http404
    if profile.pk is None or export_jobs.in_request("profiles.document", company, request.user, {}):
        return exports.export(request, profile, document, fmt)
    parameters = {"document": document, "fmt": fmt}
    return export_jobs.start(request, "profiles.document", company, parameters, background=True)


@login_required
def submission_create(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """The company officer signs and submits the profile, after an MFA re-check."""
    company = get_for_user_or_404(Company, request.user, "sign", pk=company_pk)
    try:
        profile = SecurityProfile.start(company)
    except NoCatalogue as exc:
        raise Http404 from exc
    if not mfa_recently_confirmed(request):
        return ask_for_mfa(request)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signature = workflow.Signature(
            full_name=" ".join(form.cleaned_data["full_name"].split()),
            title=" ".join(form.cleaned_data["title"].split()),
            attestation=str(form.fields["attest"].label),
            ip_address=client_address(request),
        )
        try:
            submission = workflow.submit_profile(profile, request.user, signature)
        except workflow.NothingToSubmit as exc:
            messages.info(request, str(exc))
            return redirect("profiles:submission-list", company_pk=company.pk)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Security profile submitted as submission %(number)s.")
                % {"number": submission.number},
            )
            return redirect(submission)
    rows = profile.rows()
    context = {
        "company": company,
        "profile": profile,
        "form": form,
        "readiness": profile.readiness(rows),
        "unanswered": sum(1 for row in rows if not row.status),
        "last_submission": profile.last_submission(),
        "cycle": annual.current_cycle(company),
    }
    return render(request, "profiles/submission_create.html", context)


@login_required
def submission_list(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponseBase:
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    submissions = Submission.objects.for_user(request.user, "view").filter(company=company)
    context = {
        "company": company,
        # Every number, for the comparison's choices (the table shows one page).
        "numbers": list(submissions.order_by("-number").values_list("number", flat=True)),
        "profile": SecurityProfile.current_for(company),
    }
    return render_list(
        request,
        SUBMISSIONS,
        submissions.select_related("submitted_by").defer("snapshot"),
        "profiles/submission_list.html",
        context,
        filename=f"submissions-{company.pk}.csv",
    )


SUBMISSIONS = ListSpec(
    SubmissionFilter,
    [
        col("number", "#"),
        col("submitted_at", _l("Submitted")),
        col("signer_name", _l("By")),
        col("kind", _l("Kind")),
        col("overall_score", _l("Readiness")),
    ],
    default_sort=("-number",),
    csv=["number", "submitted_at", "signer_name", "signer_title", "kind", "overall_score"],
    empty_text=_l("The profile was never submitted."),
    hide=("company", "profile"),  # the address fixes both
)


@login_required
def submission_detail(
    request: AuthenticatedHttpRequest, company_pk: int, number: int
) -> HttpResponse:
    submission = get_for_user_or_404(
        Submission.objects.select_related("company", "submitted_by"),
        request.user,
        "view",
        company_id=company_pk,
        number=number,
    )
    # A submission may list thousands of evidence files: their cells are written here in
    # one pass with the download address reversed once, not by a template loop reversing
    # it per file (1,000 files took 100 ms to render).
    download = reverse("profiles:evidence-download", args=[company_pk, 0]).removesuffix("0/")
    criteria = [
        {
            **entry,
            "status_label": status_label(entry.get("status", "")),
            "evidence_cell": _evidence_cell(download, entry.get("evidence", [])),
        }
        for entry in submission.snapshot.get("criteria", [])
    ]
    context = {
        "company": submission.company,
        "submission": submission,
        "snapshot": submission.snapshot,
        "criteria": criteria,
    }
    return render(request, "profiles/submission_detail.html", context)


def _evidence_cell(download: str, entries: list[dict[str, Any]]) -> SafeString:
    """A snapshot criterion's evidence: each item's title (a link to its file when it has
    one) and version, one a line. Escaped with the standard library's `html.escape`, as
    Django's `escape` does, without `format_html`'s per-call overhead (4,000 calls were
    60 % of the page)."""
    lines = []
    for e in entries:
        title, version = html.escape(str(e["title"])), html.escape(str(e["version"]))
        if e.get("file_id"):
            href = html.escape(f"{download}{e['file_id']}/")
            lines.append(f'<a href="{href}">{title}</a> v{version}<br>')
        else:
            lines.append(f"{title} v{version}<br>")
    return mark_safe("".join(lines))  # noqa: S308 - every value above is escaped


@login_required
def submission_diff(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """What changed between two submissions (`?a=1&b=3`; default: the last two)."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    numbers = list(
        Submission.objects.filter(company=company)
        .order_by("number")
        .values_list("number", flat=True)
    )
    try:
        a = int(request.GET.get("a") or (numbers[-2] if len(numbers) > 1 else 0))
        b = int(request.GET.get("b") or (numbers[-1] if numbers else 0))
    except ValueError:
        a = b = 0
    pair = {s.number: s for s in Submission.objects.filter(company=company, number__in=[a, b])}
    old, new = pair.get(a), pair.get(b)
    context = {
        "company": company,
        "numbers": numbers,
        "a": a,
        "b": b,
        "old": old,
        "new": new,
        "changes": diff_snapshots(old.snapshot, new.snapshot) if old and new else None,
    }
    status = 200 if (old and new) or not request.GET else 400
    return render(request, "profiles/submission_diff.html", context, status=status)


@login_required
def annual_review(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Where this year's review stands; the officer attests "reviewed, no change" here."""
    action = "sign" if request.method == "POST" else "view"
    company = get_for_user_or_404(Company, request.user, action, pk=company_pk)
    form = NoChangeForm(request.POST or None)
    if request.method == "POST":
        if not mfa_recently_confirmed(request):
            return ask_for_mfa(request)
        if form.is_valid():
            try:
                with transaction.atomic():
                    workflow.attest_no_change(company, request.user)
            except Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Annual review recorded: reviewed, no change."))
                return redirect("profiles:annual-review", company_pk=company.pk)
    context = {
        "company": company,
        "cycle": annual.current_cycle(company),
        "anniversary": annual.anniversary(company),
        "reviews": AnnualReview.objects.filter(company=company).select_related(
            "completed_by", "submission"
        ),
        "profile": SecurityProfile.current_for(company),
        "form": form,
        "may_sign": company.role_of(request.user) == "officer",
        "window_days": annual.WINDOW_DAYS,
        "reminder_days": annual.REMINDER_DAYS,
    }
    return render(
        request, "profiles/annual_review.html", context, status=400 if form.errors else 200
    )


@login_required
def profile_versions(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    """Which catalogue version the profile answers, what a newer version changes for this
    business type, and (after a move) the answers that now need attention. Editors move
    the profile with a POST naming the version."""
    company = get_for_user_or_404(Company, request.user, "view", pk=company_pk)
    _role_name, may_edit = _role(request, company)
    profile = SecurityProfile.current_for(company)
    if profile is None:
        return redirect("profiles:profile-detail", company_pk=company.pk)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        target = get_object_or_404(Catalogue.objects.published(), pk=request.POST.get("catalogue"))
        try:
            upgrade = workflow.upgrade_profile(profile, target, by=request.user)
        except workflow.UpgradeRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The profile now answers %(catalogue)s; %(n)s answers were carried over.")
                % {"catalogue": target, "n": upgrade.carried},
            )
        return redirect("profiles:profile-versions", company_pk=company.pk)
    business_type = company.business_type
    newer = [
        (catalogue, compare(profile.catalogue, catalogue, business_type))
        for catalogue in profile.newer_catalogues()
    ]
    previous = profile.previous()
    context = {
        "company": company,
        "profile": profile,
        "may_edit": may_edit,
        "newer": newer,
        "previous": previous,
        "since_previous": (
            compare(previous.catalogue, profile.catalogue, business_type) if previous else None
        ),
        "attention": workflow.needing_attention(previous, profile) if previous else [],
        "criteria_url": reverse("profiles:profile-detail", args=[company.pk]) + "criteria/",
    }
    return render(request, "profiles/profile_versions.html", context)
