"""Review verbs: assigning the case and the per-criterion profile review, answered by the
member. They do not change the status; they record what the transitions check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import (
    Certification,
    CriterionReview,
)
from certification.workflow.checks import is_program_office, member_editor, require
from certification.workflow.lifecycle import A, actor_role

if TYPE_CHECKING:
    from accounts.models import User


def assign(certification: Certification, specialist: User, *, by: User) -> Certification:
    require(is_program_office(by), _("Only the program office assigns reviews."))
    require(is_program_office(specialist), _("assigned_to: choose a program-office user."))
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        locked.assigned_to = specialist
        locked.save(update_fields=["assigned_to", "updated_at"])
    return locked


def review_criterion(
    certification: Certification, criterion: Any, *, accepted: bool, by: User, comment: str = ""
) -> CriterionReview:
    """Accept a criterion of the security profile, or reject it with a comment the member
    will see and answer."""
    require(is_program_office(by), _("Only the program office reviews the profile."))
    require(
        accepted or bool(comment.strip()),
        _("comment: say what the member must change when rejecting a criterion."),
    )
    defaults: dict[str, Any] = {
        "accepted": accepted,
        "comment": comment.strip(),
        "reviewer": by,
        "reviewed_at": timezone.now(),
    }
    if not accepted:
        # A new rejection opens a new round: the member answers it afresh.
        defaults.update(member_response="", responded_at=None)
    review, _created = CriterionReview.objects.update_or_create(
        certification=certification, criterion=criterion, defaults=defaults
    )
    return review


def save_criterion_note(review: CriterionReview, *, by: User, note: str) -> CriterionReview:
    """The member drafts the answer to one rejected criterion; nothing reaches the
    specialist until `send_profile_response`."""
    require(
        member_editor(review.certification, by),
        _("Only the member's editors answer a rejected criterion."),
    )
    require(not review.accepted, _("This criterion was accepted; there is nothing to answer."))
    require(
        review.responded_at is None,
        _("The response on %(ref)s was already sent; wait for the specialist's re-review.")
        % {"ref": review.criterion.ref_id},
    )
    review.member_response = note.strip()
    review.save(update_fields=["member_response", "updated_at"])
    return review


def send_profile_response(certification: Certification, *, by: User) -> int:
    """Send the member's answers to every open rejection back to the specialist at once.
    Refused, naming the criteria, while any rejected criterion has no note. Returns how
    many answers were sent."""
    require(
        member_editor(certification, by),
        _("Only the member's editors send the response."),
    )
    with transaction.atomic():
        open_reviews = list(
            CriterionReview.objects.select_for_update()
            .filter(certification=certification, accepted=False, responded_at=None)
            .select_related("criterion")
        )
        require(bool(open_reviews), _("No rejected criterion is waiting for an answer."))
        missing = [r.criterion.ref_id for r in open_reviews if not r.member_response.strip()]
        require(
            not missing,
            _("Answer every rejected criterion before sending; still without a note: %(refs)s.")
            % {"refs": ", ".join(missing)},
        )
        now = timezone.now()
        for review in open_reviews:  # one save each, so the audit trail records every answer
            review.responded_at = now
            review.save(update_fields=["responded_at", "updated_at"])
    return len(open_reviews)


def respond_to_criterion(review: CriterionReview, *, by: User, response: str) -> CriterionReview:
    require(
        actor_role(review.certification, by) == A.OFFICER
        or review.certification.company.role_of(by) in ("admin", "user", "consultant"),
        _("Only the member answers a rejected criterion."),
    )
    require(not review.accepted, _("This criterion was accepted; there is nothing to answer."))
    require(bool(response.strip()), _("response: say what was changed."))
    review.member_response = response.strip()
    review.responded_at = timezone.now()
    review.save(update_fields=["member_response", "responded_at", "updated_at"])
    return review
