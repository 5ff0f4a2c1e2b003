"""The seal lifecycle as business verbs. Each verb changes the seal and writes its log line
in one transaction; a check that does not match opens an incident automatically."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from companies.models import Company
from incidents.choices import IncidentKind
from incidents.models import Incident
from incidents.workflow import open_incident, open_seal_discrepancy
from seals.choices import EventKind, HandlerTraining, SealStatus
from seals.models import Seal, SealAudit, SealEvent
from training.matrix import SEAL_COURSE, person_course_state

MAX_RANGE = 10_000
VVTT_STEPS = ("vvtt_view", "vvtt_verify", "vvtt_tug", "vvtt_twist")


@dataclass(frozen=True)
class Vvtt:
    view: bool
    verify: bool
    tug: bool
    twist: bool

    def fields(self) -> dict[str, bool]:
        return {
            "vvtt_view": self.view,
            "vvtt_verify": self.verify,
            "vvtt_tug": self.tug,
            "vvtt_twist": self.twist,
        }

    def missing(self) -> list[str]:
        names = {
            "view": _("View"),
            "verify": _("Verify"),
            "tug": _("Tug"),
            "twist": _("Twist and turn"),
        }
        return [str(names[k]) for k in ("view", "verify", "tug", "twist") if not getattr(self, k)]


def range_numbers(prefix: str, first: int, last: int, width: int) -> list[str]:
    if last < first:
        raise ValidationError({"last": _("The last number must not be below the first.")})
    if last - first + 1 > MAX_RANGE:
        raise ValidationError(
            {"last": _("At most %(n)d seals can be received at once.") % {"n": MAX_RANGE}}
        )
    return [f"{prefix}{n:0{width}d}" for n in range(first, last + 1)]


def receive_range(
    company: Company,
    *,
    numbers: list[str],
    manufacturer: str,
    iso_class: str,
    certificate_ref: str,
    storage_location: str,
    by: User,
) -> int:
    """Record the receipt of a range of new seals; refuses the whole range when any number
    is already in the log."""
    template = Seal(
        company=company,
        number=numbers[0],
        manufacturer=manufacturer,
        iso_class=iso_class,
        certificate_ref=certificate_ref,
        storage_location=storage_location,
    )
    template.full_clean(exclude=["number"], validate_constraints=False)
    with transaction.atomic():
        taken = list(
            Seal.objects.filter(company=company, number__in=numbers).values_list(
                "number", flat=True
            )[:5]
        )
        if taken:
            raise ValidationError(
                {
                    "first": _("Already in the seal log: %(numbers)s. Nothing was received.")
                    % {"numbers": ", ".join(taken)}
                }
            )
        seals = Seal.objects.bulk_create(
            Seal(
                company=company,
                number=number,
                manufacturer=manufacturer,
                iso_class=iso_class,
                certificate_ref=certificate_ref,
                storage_location=storage_location,
            )
            for number in numbers
        )
        if not all(s.pk for s in seals):  # backends without RETURNING
            seals = list(Seal.objects.filter(company=company, number__in=numbers))
        SealEvent.objects.bulk_create(
            SealEvent(seal=s, kind=EventKind.RECEIVED, by=by, note=storage_location) for s in seals
        )
    return len(seals)


def _locked(seal: Seal) -> Seal:
    locked: Seal = Seal.objects.select_for_update().get(pk=seal.pk)
    return locked


def _require(seal: Seal, allowed: tuple[str, ...], verb: str) -> None:
    if seal.status not in allowed:
        raise ValidationError(
            _("Seal %(number)s is %(status)s; it cannot be %(verb)s.")
            % {"number": seal.number, "status": seal.get_status_display().lower(), "verb": verb}
        )


def issue(seal: Seal, *, to: str, by: User) -> Seal:
    if not to.strip():
        raise ValidationError({"person_name": _("Name the person the seal is issued to.")})
    with transaction.atomic():
        seal = _locked(seal)
        _require(seal, (SealStatus.IN_STOCK,), _("issued"))
        seal.status = SealStatus.ISSUED
        seal.holder_name = to
        seal.save(update_fields=["status", "holder_name", "updated_at"])
        SealEvent.objects.create(seal=seal, kind=EventKind.ISSUED, by=by, person_name=to)
    return seal


@dataclass
class AffixResult:
    seal: Seal
    event: SealEvent

    @property
    def training_warning(self) -> str:
        """What to tell the person when their seal training is not current (seed item 4 of
        a secure supply chain: containers are sealed by a trained person)."""
        return str(TRAINING_WARNINGS.get(self.event.handler_training, ""))


TRAINING_WARNINGS: dict[str, Any] = {
    HandlerTraining.LAPSED: gettext_lazy(
        "Your seal training is overdue in the training matrix: take the seal-handling "
        "refresher before you affix more seals."
    ),
    HandlerTraining.MISSING: gettext_lazy(
        "You have no seal training on record: a trained person should affix seals. "
        "Ask your security coordinator to schedule the seal-handling course."
    ),
    HandlerTraining.UNKNOWN: gettext_lazy(
        "You are not in the personnel list, so your seal training cannot be checked. "
        "Ask your security coordinator to add you with your e-mail address."
    ),
}


def handler_training(company: Company, user: User) -> str:
    """The seal training of `user` in `company`'s training matrix, as a HandlerTraining."""
    cell = person_course_state(company, email=user.email, code=SEAL_COURSE)
    if cell is None:
        return HandlerTraining.UNKNOWN
    if cell.current:
        return HandlerTraining.CURRENT
    return HandlerTraining.MISSING if cell.completed_on is None else HandlerTraining.LAPSED


def affix(seal: Seal, *, iit_number: str, vvtt: Vvtt, by: User, note: str = "") -> AffixResult:
    """Affix the seal to a container / trailer; every VVTT step must have been done. The
    log records whether the person's seal training was current; affixing is not refused
    when it is not (the seal must still go on), but the result says so."""
    if not iit_number.strip():
        raise ValidationError({"iit_number": _("Enter the container / trailer number.")})
    if vvtt.missing():
        raise ValidationError(
            {
                "vvtt_view": _("Do every VVTT step before affixing; missing: %(steps)s.")
                % {"steps": ", ".join(vvtt.missing())}
            }
        )
    training = handler_training(seal.company, by)
    with transaction.atomic():
        seal = _locked(seal)
        _require(seal, (SealStatus.IN_STOCK, SealStatus.ISSUED), _("affixed"))
        seal.status = SealStatus.AFFIXED
        seal.iit_number = iit_number
        seal.save(update_fields=["status", "iit_number", "updated_at"])
        event = SealEvent.objects.create(
            seal=seal,
            kind=EventKind.AFFIXED,
            by=by,
            iit_number=iit_number,
            document_number=seal.number,
            observed_number=seal.number,
            note=note,
            handler_training=training,
            **vvtt.fields(),
        )
    return AffixResult(seal, event)


@dataclass
class CheckResult:
    seal: Seal
    event: SealEvent
    incident: Incident | None


def check(
    seal: Seal,
    *,
    at_destination: bool,
    observed_number: str,
    document_number: str,
    vvtt: Vvtt,
    by: User,
    person_name: str = "",
    note: str = "",
) -> CheckResult:
    """A VVTT check at a hand-over or the verification at destination. A number that does
    not match the seal or the documents, or a failed VVTT step, is a discrepancy: it is
    logged and an incident is opened at once."""
    observed = observed_number.strip().upper()
    document = document_number.strip().upper()
    if not observed or not document:
        raise ValidationError(
            {
                "observed_number": _(
                    "Enter the number read on the seal and the one on the documents."
                )
            }
        )
    with transaction.atomic():
        seal = _locked(seal)
        _require(seal, (SealStatus.AFFIXED,), _("checked"))
        problems = []
        if observed != seal.number.upper():
            problems.append(
                _("seal reads %(seen)s, log says %(log)s") % {"seen": observed, "log": seal.number}
            )
        if document != seal.number.upper():
            problems.append(
                _("documents say %(doc)s, log says %(log)s") % {"doc": document, "log": seal.number}
            )
        if vvtt.missing():
            problems.append(_("VVTT failed: %(steps)s") % {"steps": ", ".join(vvtt.missing())})
        fields: dict[str, Any] = {
            "seal": seal,
            "by": by,
            "iit_number": seal.iit_number,
            "document_number": document,
            "observed_number": observed,
            "person_name": person_name,
            **vvtt.fields(),
        }
        incident = None
        if problems:
            text = "; ".join(str(p) for p in problems)
            incident = open_seal_discrepancy(
                seal, description=f"{text}. {note}".strip(), reporter=by
            )
            event = SealEvent.objects.create(
                kind=EventKind.DISCREPANCY, note=text[:500], incident=incident, **fields
            )
            seal.status = SealStatus.DISCREPANCY
        else:
            kind = EventKind.VERIFIED if at_destination else EventKind.HANDOVER
            event = SealEvent.objects.create(kind=kind, note=note, **fields)
            if at_destination:
                seal.status = SealStatus.VERIFIED
        seal.save(update_fields=["status", "updated_at"])
    return CheckResult(seal, event, incident)


def void(seal: Seal, *, reason: str, by: User) -> Seal:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the seal is voided.")})
    with transaction.atomic():
        seal = _locked(seal)
        _require(
            seal,
            (SealStatus.IN_STOCK, SealStatus.ISSUED, SealStatus.AFFIXED, SealStatus.DISCREPANCY),
            _("voided"),
        )
        seal.status = SealStatus.VOIDED
        seal.void_reason = reason
        seal.save(update_fields=["status", "void_reason", "updated_at"])
        SealEvent.objects.create(seal=seal, kind=EventKind.VOIDED, by=by, note=reason[:500])
    return seal


def audit(company: Company, *, counted: list[str], by: User, note: str = "") -> SealAudit:
    """Reconcile the seals counted on the shelf with those in stock by the log (MSC 6.6)."""
    seen = {n.strip().upper() for n in counted if n.strip()}
    on_hand = {
        n.upper(): n
        for n in Seal.objects.on_hand().filter(company=company).values_list("number", flat=True)
    }
    return SealAudit.objects.create(
        company=company,
        by=by,
        expected=len(on_hand),
        counted=len(seen),
        missing=sorted(on_hand[n] for n in set(on_hand) - seen),
        unexpected=sorted(seen - set(on_hand)),
        note=note,
    )


def where_the_log_has(company: Company, numbers: list[str]) -> dict[str, str]:
    """For seal numbers found on the shelf that the log does not have in stock: what the
    log says about each (issued to someone, affixed to a container, voided...), or that
    the number is not in the log at all. One query, however many numbers."""
    wanted = {n.upper(): n for n in numbers}
    seals = Seal.objects.filter(company=company, number__in=list(wanted.values()))
    found = {seal.number.upper(): seal for seal in seals}
    answers: dict[str, str] = {}
    for upper, number in wanted.items():
        seal = found.get(upper)
        if seal is None:
            answers[number] = _("not in the seal log")
        elif seal.status == SealStatus.ISSUED:
            answers[number] = _("issued to %(name)s") % {"name": seal.holder_name}
        elif seal.iit_number:
            answers[number] = _("%(status)s, %(iit)s") % {
                "status": seal.get_status_display().lower(),
                "iit": seal.iit_number,
            }
        else:
            answers[number] = str(seal.get_status_display()).lower()
    return answers


def issued_not_affixed(company: Company) -> list[Seal]:
    """Seals handed out and neither affixed nor voided: not on the shelf, so an inventory
    audit confirms each with the person holding it."""
    return list(
        Seal.objects.filter(company=company, status=SealStatus.ISSUED).order_by("number")[:200]
    )


@dataclass
class InspectionSeal:
    """What the seal log says about the seal number written on an inspection."""

    seal: Seal | None
    problem: str
    incident: Incident | None


def verify_on_inspection(inspection: Any, *, by: User) -> InspectionSeal | None:
    """Check the seal number written on an inspection against the seal log.

    An issued seal with every VVTT step done is affixed to the inspected container; a seal
    already affixed to that container is confirmed. Anything else is a discrepancy, logged
    with an incident linked to the inspection: a number the log does not have (wrong
    number), a seal affixed to another container (wrong container), or a seal that was
    never issued or is no longer usable (not issued). A company that keeps no seal log in
    the portal has nothing to check against. Runs inside the caller's transaction.
    """
    number = inspection.seal_number.strip()
    company = inspection.company
    if not number or not Seal.objects.filter(company=company).exists():
        return None
    iit = inspection.iit_number.strip()
    seal = Seal.objects.select_for_update().filter(company=company, number__iexact=number).first()
    vvtt = Vvtt(
        view=inspection.vvtt_view,
        verify=inspection.vvtt_verify,
        tug=inspection.vvtt_tug,
        twist=inspection.vvtt_twist,
    )
    if seal is None:
        problem = _("seal %(number)s is not in the seal log (wrong number?)") % {"number": number}
    elif seal.status == SealStatus.AFFIXED and seal.iit_number.upper() == iit.upper():
        return InspectionSeal(seal, "", None)
    elif seal.status == SealStatus.ISSUED:
        if vvtt.missing():
            return InspectionSeal(seal, "", None)
        affix(seal, iit_number=iit, vvtt=vvtt, by=by)
        seal.refresh_from_db()
        return InspectionSeal(seal, "", None)
    elif seal.status == SealStatus.AFFIXED:
        problem = _("seal %(number)s is affixed to %(other)s in the log, not to %(iit)s") % {
            "number": seal.number,
            "other": seal.iit_number,
            "iit": iit,
        }
    else:
        problem = _("seal %(number)s was not issued for use (the log says: %(status)s)") % {
            "number": seal.number,
            "status": str(seal.get_status_display()).lower(),
        }
    incident = open_incident(
        company,
        kind=IncidentKind.SEAL_DISCREPANCY,
        title=_("Seal %(number)s: discrepancy at the inspection of %(iit)s")
        % {"number": number, "iit": iit},
        description=f"{problem}.",
        seal=seal,
        inspection=inspection,
        reporter=by,
        location=iit,
    )
    if seal is not None:
        SealEvent.objects.create(
            seal=seal,
            kind=EventKind.DISCREPANCY,
            by=by,
            iit_number=iit,
            observed_number=number.upper(),
            document_number=seal.number,
            note=str(problem)[:500],
            incident=incident,
            **vvtt.fields(),
        )
        seal.status = SealStatus.DISCREPANCY
        seal.save(update_fields=["status", "updated_at"])
    return InspectionSeal(seal, str(problem), incident)
