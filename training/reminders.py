"""Training in the reminder registry (`core.reminders`): every required course that is
due within 30 days, overdue or never taken waits on the employee's manager
(`manager_email`, who may have no account) or, without one, on the company's officers and
administrators. Reminded once when it comes within 30 days and once when overdue (or
never taken), whenever that is; the link opens the training matrix.

The daily run (and the digest) names each person. A person's own list (`tasks_for`: the
task list, the home, the header's count) names the people they manage, and gathers those
who have no manager into ONE task per course ("Training: Seal handling — 812 people due
or overdue", due on the earliest of their dates), counted by the database and linked to
the matrix filtered to that course, to the people not done and without a manager: at
5,000 people, a line each buried everything else and took a second to work out."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import reminders
from core.reminders import Scope, Task
from personnel.models import Employee
from training.matrix import (
    DUE_SOON_DAYS,
    NO_MANAGER,
    OPEN_FILTER,
    active_courses,
    open_by_course,
    open_cells,
)
from training.models import Course

KIND = "training_course"


def training_due(scope: Scope) -> Iterator[Task]:
    courses = active_courses(scope.companies(Course.objects.all()))
    if not courses:
        return
    employees = scope.companies(Employee.objects.all())
    if scope.personal:
        # Those the user manages, one task a person; those nobody manages, in the
        # companies where the user is an officer or administrator, one task a course.
        yield from _unmanaged(scope, courses)
        if not scope.email:
            return
        employees = employees.filter(manager_email__iexact=scope.email)
    urls: dict[int, str] = {}  # one matrix per company: reversed once, not once a task
    for employee, cell in open_cells(courses, employees, scope.today):
        company_id = employee.company_id
        if company_id not in urls:
            urls[company_id] = reverse("training:matrix", args=[company_id])
        for email in scope.people(company_id, employee.manager_email):
            yield Task(
                KIND,
                f"{employee.pk}:{cell.course.pk}:{cell.due_on or 'never'}",
                company_id,
                email,
                cell.due_on,
                # The course renders its title in the language active when it is shown.
                format_lazy("{}: {} — {}", _("Training"), employee.full_name, cell.course),
                urls[company_id],
            )


def _people_due(n: int) -> str:
    # Translated when shown, in the reader's language (as the course title is).
    return lazy(
        lambda: (
            ngettext("%(n)d person due or overdue", "%(n)d people due or overdue", n) % {"n": n}
        ),
        str,
    )()


def _unmanaged(scope: Scope, courses: list[Course]) -> Iterator[Task]:
    """One task per course for the people without a manager in the companies the user
    manages (as officer or administrator)."""
    found = open_by_course(
        [c for c in courses if c.company_id in scope.managed],
        Employee.objects.filter(company_id__in=scope.managed, manager_email=""),
        scope.today,
        kept_as="unmanaged",
    )
    for group in found:
        course = group.course
        company_id = course.company_id
        query = f"course={course.pk}&state={OPEN_FILTER}&manager={NO_MANAGER}"
        yield Task(
            KIND,
            f"course:{course.pk}:{group.due_on or 'never'}",
            company_id,
            scope.email,
            group.due_on,
            format_lazy("{}: {} — {}", _("Training"), course, _people_due(group.people)),
            f"{reverse('training:matrix', args=[company_id])}?{query}",
        )


def register() -> None:
    reminders.register(KIND, training_due, stages=(DUE_SOON_DAYS,))
