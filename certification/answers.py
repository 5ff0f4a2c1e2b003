"""The member's answers beside the program office's decisions, criterion by criterion:
what the profile review and the validation worksheet show in each row. A fixed number of
queries whatever the size of the catalogue or the number of evidence files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from certification.models import Certification, CriterionReview

if TYPE_CHECKING:
    from catalogue.models import Criterion
    from profiles.models import EvidenceFile, Response, SecurityProfile

FILTERS = ("rejected", "unanswered", "must")
# What a row shows of a criterion (its JSON fields and guidance stay in the database).
CRITERION_FIELDS = (
    "pk",
    "catalogue_id",
    "ref_id",
    "category_number",
    "sequence",
    "summary",
    "requirement",
)
_PK = 999999999  # stands for a primary key in a URL reversed once per page


def url_maker(name: str, *args: Any) -> Callable[[int], str]:
    """`reverse(name, args=[*args, pk])` for many pks at the cost of one reverse."""
    from django.urls import reverse

    pattern = reverse(name, args=[*args, _PK])
    return lambda pk: pattern.replace(str(_PK), str(pk))


@dataclass
class Answer:
    """One criterion: the member's status, narrative and evidence files, the specialist's
    review (decision, comment, the member's response to a rejection)."""

    criterion: Criterion
    response: Response | None = None
    files: list[EvidenceFile] = field(default_factory=list)
    review: CriterionReview | None = None
    entry: Any = None  # the worksheet row, on the worksheet
    extra: dict[str, Any] = field(default_factory=dict)
    files_label: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.response and self.response.status)

    @property
    def rejected(self) -> bool:
        return bool(self.review and not self.review.accepted)

    @property
    def must(self) -> bool:
        requirement = getattr(self.criterion, "effective_requirement", None)
        return (requirement or self.criterion.requirement) == "must"

    def shown_by(self, show: str) -> bool:
        if show == "rejected":
            return self.rejected
        if show == "unanswered":
            return not self.answered
        if show == "must":
            return self.must
        return True


def profile_of(certification: Certification) -> SecurityProfile | None:
    from profiles.models import SecurityProfile

    return SecurityProfile.current_for(certification.company)


def criteria_of(certification: Certification, profile: SecurityProfile | None) -> Any:
    """The criteria of the member's business type in the catalogue its profile answers
    (else the catalogue in force), in catalogue order."""
    from catalogue.models import Catalogue, Criterion

    catalogue = profile.catalogue if profile else Catalogue.objects.latest_published()
    if catalogue is None:
        return Criterion.objects.none()
    business_type = certification.company.business_type
    return (
        catalogue.criteria_for(business_type)
        .only(*CRITERION_FIELDS)
        .order_by("category_number", "sequence")
    )


def answers(
    certification: Certification,
    criteria: list[Criterion],
    profile: SecurityProfile | None,
    *,
    with_reviews: bool = True,
) -> list[Answer]:
    """One `Answer` per criterion, in the order given (three queries at most)."""
    from profiles.models import EvidenceFile, Response

    rows = {c.pk: Answer(c) for c in criteria}
    if profile is not None:
        responses = Response.objects.filter(profile=profile, criterion_id__in=rows).only(
            "pk", "criterion_id", "status", "narrative", "na_reason", "profile_id"
        )
        from profiles.choices import ResponseStatus

        status_labels = {value: str(label) for value, label in ResponseStatus.choices}
        by_response: dict[int, Answer] = {}
        for response in responses:
            response.status_label = status_labels.get(response.status, "")  # type: ignore[attr-defined]
            rows[response.criterion_id].response = response
            by_response[response.pk] = rows[response.criterion_id]
        files: dict[int, list[EvidenceFile]] = defaultdict(list)
        if by_response:
            for file in (
                EvidenceFile.objects.filter(evidence__response_id__in=by_response)
                .select_related("evidence")
                .only(
                    "pk",
                    "original_name",
                    "content_type",
                    "version",
                    "evidence__title",
                    "evidence__response_id",
                )
                .order_by("evidence__title", "-version")
            ):
                files[file.evidence.response_id].append(file)
            download = url_maker("profiles:evidence-download", certification.company_id)
            for file_list in files.values():
                for file in file_list:
                    file.download_url = download(file.pk)  # type: ignore[attr-defined]
            for response_pk, answer in by_response.items():
                answer.files = files.get(response_pk, [])
                answer.files_label = files_label(len(answer.files)) if answer.files else ""
    order = [c.pk for c in criteria]
    if with_reviews:
        # Reviews of criteria outside the list (another catalogue version) still show.
        reviews = CriterionReview.objects.filter(certification=certification).select_related(
            "criterion"
        )
        for review in reviews.only(
            *[f.name for f in CriterionReview._meta.concrete_fields],
            *(f"criterion__{name}" for name in CRITERION_FIELDS if name != "pk"),
        ):
            if review.criterion_id not in rows:
                rows[review.criterion_id] = Answer(review.criterion)
                order.append(review.criterion_id)
            rows[review.criterion_id].review = review
    return [rows[pk] for pk in order]


def counts(rows: list[Answer]) -> dict[str, int]:
    return {
        "total": len(rows),
        "answered": sum(1 for r in rows if r.answered),
        "unanswered": sum(1 for r in rows if not r.answered),
        "reviewed": sum(1 for r in rows if r.review),
        "accepted": sum(1 for r in rows if r.review and r.review.accepted),
        "rejected": sum(1 for r in rows if r.rejected),
        "must": sum(1 for r in rows if r.must),
    }


def labels() -> dict[str, str]:
    """Words every row repeats, translated once per page (`t.` in the row templates)."""
    from django.utils.translation import gettext as _

    return {
        "must": _("must"),
        "should": _("should"),
        "answer": _("Member's answer"),
        "not_answered": _("Not answered"),
        "narrative": _("Narrative"),
        "accepted_in_review": _("accepted in review"),
        "rejected_in_review": _("rejected in review"),
        "review_comment": _("Review comment"),
        "members_response": _("Member's response"),
        "validation": _("Validation"),
        "observation": _("Observation"),
        "finding": _("Finding"),
        "note": _("Note"),
        "decision": _("Decision"),
        "accepted": _("Accepted"),
        "rejected": _("Rejected"),
        "awaiting": _("awaiting the member"),
        "member_responded": _("member responded"),
        "accept": _("Accept"),
        "reject": _("Reject"),
        "reject_again": _("Reject again"),
        "comment_on": _("Comment (required to reject) on"),
        "sent": _("sent"),
        "save": _("Save"),
        "saved": _("saved"),
    }


def files_label(n: int) -> str:
    from django.utils.translation import ngettext

    return ngettext("%(n)s evidence file", "%(n)s evidence files", n) % {"n": n}
