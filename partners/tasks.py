"""Background tasks of the partner directory (run by `ctpat db_worker`).

Imported lazily (never from `AppConfig.ready`): declaring a task picks the task backend
from the settings, which tests change after start-up.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def rescreen_partners(version_pk: int, previous_pk: int) -> dict[str, Any]:
    """Screen all partners against what a new list version added or changed."""
    from partners.rescreening import rescreen_for_version

    return rescreen_for_version(version_pk, previous_pk)


@task()
def rescreen_company(source: str, uids: list[str], company_pk: int) -> dict[str, Any]:
    """One company's partners against the entities a new version of list `source` added
    or changed (enqueued by `rescreen_partners`, one task per company)."""
    from partners.rescreening import rescreen_company_partners

    return rescreen_company_partners(source, uids, company_pk)


@task()
def screen_import(batch_pk: int, run: str = "") -> dict[str, Any]:
    """Screen the partners of a large import after it was written, as the run holding
    the batch's lease `run` (see `partners.workflow.screen_import`)."""
    from partners.workflow import screen_import as screen

    return screen(batch_pk, run)


@task()
def screen_import_part(batch_pk: int, run: str, ids: list[int]) -> dict[str, Any]:
    """One slice of a large import's screening, enqueued by `screen_import` on a shared
    queue (RQ) so several workers screen one import."""
    from partners.workflow import screen_import_part as screen

    return screen(batch_pk, run, ids)
