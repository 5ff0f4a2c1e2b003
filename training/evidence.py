"""Figures from training, personnel screening and the security culture records that
back a company's answer to an MSC criterion.

`evidence_for(company, "12.2")` returns the items the security profile shows beside that
criterion: completion of each course mapped to it (12.x, 7.10, 6.x), training
effectiveness (12.4), retraining requests (12.2), screening and code-of-conduct coverage
(11.1, 11.2, 11.5), access removal on separation (10.1, 4.7) and the culture records
(1.1–1.4). Every figure is a count or a date, never a person's name or screening result,
so whoever may view the company's profile may see them. An unknown criterion gives [].
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company
from personnel import coverage
from training.effectiveness import effectiveness
from training.matrix import CourseSummary, course_summaries, totals_of
from training.models import CULTURE_CRITERIA, Course, CultureRecord, Retraining, TrainingSession


@dataclass(frozen=True)
class EvidenceItem:
    """One line of evidence: what it is, the figure, and the page that shows the detail."""

    label: str
    figure: str
    url: str

    @property
    def value(self) -> str:
        """The figure, under the name the profile's evidence registry reads."""
        return self.figure


def _rate(summary: CourseSummary) -> str:
    if not summary.required:
        return _("nobody requires it yet")
    return _("%(rate)s%% current (%(current)s of %(required)s people)") % {
        "rate": summary.rate,
        "current": summary.current,
        "required": summary.required,
    }


def _coverage(value: coverage.Coverage, what: str) -> str:
    if not value.total:
        return _("no active employees yet")
    return _("%(rate)s%% of active employees (%(covered)s of %(total)s) %(what)s") % {
        "rate": value.rate,
        "covered": value.covered,
        "total": value.total,
        "what": what,
    }


def _courses(company: Company, criterion_id: str) -> list[EvidenceItem]:
    courses = [
        c
        for c in Course.objects.filter(company=company, active=True)
        if criterion_id in (c.criteria or [])
    ]
    if not courses:
        return []
    summaries = course_summaries(company, courses=courses)
    matrix_url = reverse("training:matrix", args=[company.pk])
    return [
        EvidenceItem(
            _("Training completion: %(course)s") % {"course": s.course.title},
            _rate(s),
            f"{matrix_url}?course={s.course.pk}",
        )
        for s in summaries
        if s.course
    ]


def _programme(company: Company) -> list[EvidenceItem]:
    totals = totals_of(course_summaries(company))
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    sessions = TrainingSession.objects.filter(company=company, held_on__gte=year_ago).count()
    return [
        EvidenceItem(
            _("Security training, all required courses"),
            _rate(totals),
            reverse("training:dashboard", args=[company.pk]),
        ),
        EvidenceItem(
            _("Training sessions in the last 12 months"),
            str(sessions),
            reverse("training:session-list", args=[company.pk]),
        ),
    ]


def _effectiveness(company: Company) -> list[EvidenceItem]:
    courses = list(Course.objects.filter(company=company, active=True))
    items = []
    for course in courses:
        measure = effectiveness([course])[course.pk]
        if measure.measured:
            items.append(
                EvidenceItem(
                    _("Training met its objectives: %(course)s") % {"course": course.title},
                    _("%(rate)s%% of %(n)s measured")
                    % {"rate": measure.rate, "n": measure.measured},
                    reverse("training:course-detail", args=[company.pk, course.pk]),
                )
            )
    return items


def _retraining(company: Company) -> list[EvidenceItem]:
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    count = Retraining.objects.filter(company=company, requested_on__gte=year_ago).count()
    return [
        EvidenceItem(
            _("Retraining after incidents or procedure changes (last 12 months)"),
            ngettext("%(n)s person", "%(n)s people", count) % {"n": count},
            reverse("training:course-list", args=[company.pk]),
        )
    ]


def _screening(kind: str) -> Callable[[Company], list[EvidenceItem]]:
    def items(company: Company) -> list[EvidenceItem]:
        url = reverse("personnel:screening-list", args=[company.pk])
        if kind == "pre_employment":
            return [
                EvidenceItem(
                    _("Pre-employment verification"),
                    _coverage(
                        coverage.pre_employment(company), _("with a pre-employment verification")
                    ),
                    url,
                )
            ]
        overdue = coverage.rechecks_overdue(company)
        return [
            EvidenceItem(
                _("Background checks"),
                _coverage(coverage.background(company), _("with a background check")),
                url,
            ),
            EvidenceItem(_("Periodic re-checks overdue"), str(overdue), url),
        ]

    return items


def _conduct(company: Company) -> list[EvidenceItem]:
    return [
        EvidenceItem(
            _("Code of conduct acknowledged"),
            _coverage(coverage.conduct_acknowledged(company), _("who acknowledged the code")),
            reverse("personnel:employee-list", args=[company.pk]),
        )
    ]


def _separations(company: Company) -> list[EvidenceItem]:
    value = coverage.separations_complete(company)
    figure = (
        _("%(covered)s of %(total)s separations with all access removed")
        % {"covered": value.covered, "total": value.total}
        if value.total
        else _("no separations recorded")
    )
    return [
        EvidenceItem(
            _("Access removed when people leave"),
            figure,
            reverse("personnel:employee-list", args=[company.pk]) + "?inactive=on",
        )
    ]


def _culture(criterion_id: str) -> Callable[[Company], list[EvidenceItem]]:
    kinds = [k for k, ids in CULTURE_CRITERIA.items() if criterion_id in ids]

    def items(company: Company) -> list[EvidenceItem]:
        result = []
        for kind in kinds:
            record = CultureRecord.objects.filter(company=company, kind=kind).first()
            label = str(CultureRecord(kind=kind).get_kind_display())
            if record is None:
                result.append(
                    EvidenceItem(
                        label,
                        _("not recorded"),
                        reverse("training:culture-list", args=[company.pk]),
                    )
                )
            else:
                files = record.evidence.count()
                figure = ngettext(
                    "%(date)s, %(n)s evidence file", "%(date)s, %(n)s evidence files", files
                ) % {"date": record.dated.isoformat(), "n": files}
                result.append(EvidenceItem(label, figure, record.get_absolute_url()))
        return result

    return items


EXTRA: dict[str, list[Callable[[Company], list[EvidenceItem]]]] = {
    "12.1": [_programme],
    "12.2": [_retraining],
    "12.4": [_effectiveness],
    "11.1": [_screening("pre_employment")],
    "11.2": [_screening("background")],
    "11.5": [_conduct],
    "10.1": [_separations],
    "4.7": [_separations],
    **{cid: [_culture(cid)] for ids in CULTURE_CRITERIA.values() for cid in ids},
}


def evidence_for(company: Company, criterion_id: str) -> list[EvidenceItem]:
    """The training, screening and culture figures that back `criterion_id` for `company`."""
    items = _courses(company, criterion_id)
    for source in EXTRA.get(criterion_id, []):
        items.extend(source(company))
    return items


def criteria_with_evidence(company: Company) -> set[str]:
    """Criterion ids `evidence_for` has something to say about for this company."""
    ids = set(EXTRA)
    for criteria in Course.objects.filter(company=company, active=True).values_list(
        "criteria", flat=True
    ):
        ids.update(criteria or [])
    return ids
