"""Recovering background work whose worker died.

The task queue's own record of a task (`django_tasks_db`'s `DBTaskResult`) has no
heartbeat: a worker killed mid-task leaves its task RUNNING forever. Long jobs therefore
keep their own lease (a heartbeat renewed as they progress, see
`partners.models.PartnerImport`), and each app that runs such jobs registers a recoverer
here. `ctpat recover_tasks` (cron, every few minutes) calls them all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string

# Dotted paths of functions that find this app's stopped jobs, mark them, resume those
# that may be resumed, and return one line per job for the command's output. Paths, not
# functions: registering from `AppConfig.ready` must not import the task modules.
RECOVERERS: list[str] = []

LOST_WORKER = "core.tasks.WorkerLost"


class WorkerLost(RuntimeError):
    """The worker running a task stopped renewing its lease (killed, out of memory)."""


def register_recoverer(path: str) -> None:
    if path not in RECOVERERS:
        RECOVERERS.append(path)


def recover_all() -> list[str]:
    """Run every registered recoverer; the lines say what each found and did."""
    lines: list[str] = []
    for path in RECOVERERS:
        recoverer: Callable[[], list[str]] = import_string(path)
        lines.extend(recoverer())
    return lines


def mark_task_result_lost(task_id: str, reason: str) -> bool:
    """Mark the queue's record of a task FAILED if it still says RUNNING.

    Only the database backend keeps such a record here; other backends (RQ) detect a lost
    worker themselves. A worker that was only slow and still finishes overwrites the
    status with its own result, which is the truth.
    """
    if not task_id:
        return False
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    try:
        return bool(
            DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=LOST_WORKER,
                traceback=f"{LOST_WORKER}: {reason}\n",
            )
        )
    except (ValidationError, ValueError):  # an id from another backend: nothing to mark
        return False
