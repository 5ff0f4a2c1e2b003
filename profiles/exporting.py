"""The security profile and gap report downloads (PDF, Excel) through
`core.export_jobs` (registered in `ProfilesConfig`). Under `IMMEDIATE_BELOW` evidence
items the document is built in the request; above, in the background with progress."""

from __future__ import annotations

from typing import Any

from core.export_jobs import ExportContext, Output

# Evidence items below which the document is built in the request: the crawl (issue 21)
# took 4.2 s for the profile PDF with 2,000 evidence files, about 2 ms each, so 400 stay
# near 0.9 s (bench/exports.py: 0.5–0.6 s with 300 under load).
IMMEDIATE_BELOW = 400


def evidence_count(company: Any, user: Any, parameters: dict[str, Any]) -> int:
    from profiles.models import Evidence

    return int(Evidence.objects.filter(response__profile__company=company).count())


def _one(parameters: dict[str, Any], key: str) -> str:
    value = parameters.get(key, "")
    return str(value[0] if isinstance(value, list) and value else value)


def profile_document(context: ExportContext) -> Output:
    from django.http import Http404
    from django.utils.translation import gettext as _

    from core.refusals import Invalid
    from profiles.exports import render_document
    from profiles.models import SecurityProfile

    context.progress.set_total(1)
    profile = SecurityProfile.current_for(context.company)
    if profile is None:
        raise Invalid(_("This company has no security profile yet."))
    try:
        name, content_type, body = render_document(
            profile, _one(context.parameters, "document"), _one(context.parameters, "fmt")
        )
    except Http404 as exc:
        raise Invalid(_("Unknown document or format.")) from exc
    context.progress.advance()
    return Output(name, content_type, body)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from core import export_jobs

    export_jobs.register(
        "profiles.document",
        _("Security profile document"),
        build="profiles.exporting.profile_document",
        count="profiles.exporting.evidence_count",
        immediate_below=IMMEDIATE_BELOW,
    )
