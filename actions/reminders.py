"""Corrective actions in the reminder registry (`core.reminders`): every open action with a
due date waits on its owner, or on the company's officers and administrators when it has
none; reminded 7 and 1 days before the due date and once overdue (up to 30 days after)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actions.models import CorrectiveAction
from core import reminders
from core.reminders import Scope, Task

KIND = "corrective_action"


def corrective_actions(scope: Scope) -> Iterator[Task]:
    rows = scope.first(
        scope.companies(CorrectiveAction.objects.open().filter(due_date__isnull=False)).filter(
            scope.waiting_on_user("owner", "company")
        ),
        "due_date",
        "pk",
    ).values_list("pk", "company_id", "title", "due_date", "owner__email")
    for pk, company_id, title, due_date, owner_email in rows:
        for email in scope.people(company_id, owner_email):
            yield Task(
                KIND,
                f"{pk}:{due_date}",
                company_id,
                email,
                due_date,
                format_lazy("{}: {}", _("Corrective action"), title),
                reverse_lazy("actions:action-detail", args=[company_id, pk]),
            )


def register() -> None:
    reminders.register(KIND, corrective_actions, stages=(7, 1), overdue_for=30)
