"""Training in the reminder registry (`core.reminders`): every required course that is
due within 30 days, overdue or never taken waits on the employee's manager
(`manager_email`, who may have no account) or, without one, on the company's officers and
administrators. Reminded once when it comes within 30 days and once when overdue (or
never taken), whenever that is; the link opens the training matrix."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import reminders
from core.reminders import Scope, Task
from personnel.models import Employee
from training.matrix import DUE_SOON_DAYS, open_cells
from training.models import Course

KIND = "training_course"


def training_due(scope: Scope) -> Iterator[Task]:
    courses = scope.companies(Course.objects.all())
    employees = scope.companies(Employee.objects.all())
    if scope.personal:  # those the user manages, or without a manager where they manage
        employees = employees.filter(
            Q(manager_email__iexact=scope.email) | Q(manager_email="", company_id__in=scope.managed)
        )
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


def register() -> None:
    reminders.register(KIND, training_due, stages=(DUE_SOON_DAYS,))
