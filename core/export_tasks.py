"""The background task that builds an export (`core.export_jobs`).

Imported lazily (never from `AppConfig.ready`): declaring a task picks the task backend
from the settings, which tests change after start-up.
"""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(job_pk: int) -> str:
    """Build export job `job_pk`'s file and store it; the job's final state."""
    from core.export_jobs import run

    return run(job_pk)
