"""Corrective actions in the reminder registry (`core.reminders`): every open action with a
due date waits on its owner, or on the company's officers and administrators when it has
none; reminded 7 and 1 days before the due date and once overdue (up to 30 days after)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actions.models import CorrectiveAction
from core import reminders
from core.reminders import Scope, Task

KIND = "corrective_action"


def corrective_actions(scope: Scope) -> Iterator[Task]:
    actions = (
        scope.companies(CorrectiveAction.objects.open().filter(due_date__isnull=False))
        .select_related("owner")
        .only("pk", "company_id", "title", "due_date", "owner__email")
    )
    for action in actions:
        for email in scope.people(action.company_id, action.owner.email if action.owner else None):
            yield Task(
                KIND,
                f"{action.pk}:{action.due_date}",
                action.company_id,
                email,
                action.due_date,
                format_lazy("{}: {}", _("Corrective action"), action.title),
                action.get_absolute_url(),
            )


def register() -> None:
    reminders.register(KIND, corrective_actions, stages=(7, 1), overdue_for=30)
