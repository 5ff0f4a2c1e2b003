"""Documents exchanged on the case: either side uploads (type checked by content with
`core.uploads`), the same title makes a new version, the other side is told through the
`case_notice` signal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.choices import State
from certification.models import CaseDocument, Certification, DocumentSide
from certification.signals import case_notice
from certification.workflow.checks import is_program_office, member_editor, require
from core.uploads import BY_NAME, DOCUMENTS, attach, store_file

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

KINDS = tuple(BY_NAME[name] for name in DOCUMENTS)


def upload_document(
    certification: Certification,
    upload: UploadedFile[bytes],
    *,
    by: User,
    title: str,
    note: str = "",
) -> CaseDocument:
    """Store one document on the case as the next version of its title."""
    office = is_program_office(by)
    require(
        office or member_editor(certification, by),
        _("Only the program office or the member's editors exchange documents."),
    )
    require(
        certification.status != State.DRAFT,
        _("Documents are exchanged once the member has applied."),
    )
    title = title.strip()
    require(bool(title), _("title: name the document."))
    side = DocumentSide.OFFICE if office else DocumentSide.MEMBER

    def write(stored: str, checked: Any) -> CaseDocument:
        Certification.objects.select_for_update().get(pk=certification.pk)
        latest = CaseDocument.objects.filter(certification=certification, title=title).aggregate(
            v=Max("version")
        )["v"]
        document = CaseDocument(certification=certification)
        attach(
            document,
            stored,
            checked,
            uploaded_by=by,
            title=title,
            version=(latest or 0) + 1,
            side=side,
            note=note.strip(),
        )
        document.save()
        return document

    with transaction.atomic():
        document = store_file(upload, f"certification/{certification.company_id}", write, KINDS)
        company = certification.company
        if office:
            url = reverse("certification_member:status", args=[company.pk]) + "#documents"
            kind = "document_from_office"
        else:
            url = (
                reverse("certification:certification-detail", args=[certification.pk])
                + "?tab=documents"
            )
            kind = "document_from_member"
        case_notice.send(
            sender=CaseDocument,
            kind=kind,
            company=company,
            certification=certification,
            title=_("New document on the CTPAT case: %(title)s (version %(version)s)")
            % {"title": document.title, "version": document.version},
            url=url,
            by=by,
        )
    return document
