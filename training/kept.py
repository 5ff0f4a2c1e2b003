"""The training figures of a whole company, kept a short while in the cache.

Every page that shows how a company's people stand on their courses asks the database to
work out each person's state for each course: the company home's card, the training
dashboard and the matrix API's summary (`matrix.course_summaries`), and an officer's task
list, home and header count (the people nobody manages, `matrix.open_by_course`). At
5,000 people that is 50–120 ms of SQL a request, for figures that change only when
someone records training or edits a course or a person.

So the counted rows are kept per company and day for `KEEP_SECONDS`, under a version each
company carries in the cache: any saved or deleted course, person, training record or
retraining request of the company, and any change of a course's or a person's roles,
gives the company a new version (`forget`, connected in `apps.py`), so the next page
counts again and a change shows at once. Writes that bypass the model's signals
(`QuerySet.update`, `bulk_create`) are shown within `KEEP_SECONDS`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

KEEP_SECONDS = 120
T = TypeVar("T")


def _version_key(company_id: int) -> str:
    return f"training:version:{company_id}"


def forget(company_id: int | None) -> None:
    """The company's kept figures are out of date: the next page counts again.

    Once now, and once more when the transaction commits, so that a page another process
    counts meanwhile (from the rows before the change) does not keep its figures under
    the new version. Within one transaction a company is forgotten once until something
    is counted again (recording a session's 100 attendees writes the version twice, not
    200 times)."""
    if company_id is None:
        return
    connection = transaction.get_connection()
    marker = (company_id, _counted.n)
    if connection.in_atomic_block:
        if any(getattr(f, "forgets", None) == marker for _, f, _ in connection.run_on_commit):
            return
    _new_version(company_id)
    if connection.in_atomic_block:
        later = functools.partial(_new_version, company_id)
        later.forgets = marker  # type: ignore[attr-defined]
        transaction.on_commit(later)


def _new_version(company_id: int) -> None:
    cache.set(_version_key(company_id), uuid.uuid4().hex[:12], None)


class _Counted(threading.local):
    n = 0  # how many times this thread counted figures to keep


_counted = _Counted()


def kept(
    what: str,
    company_ids: Iterable[int],
    today: datetime.date,
    parts: Iterable[Any],
    count: Callable[[], T],
) -> T:
    """`count()`, kept for `KEEP_SECONDS` under `what`, the companies' versions, the day
    and `parts` (whatever else the figures depend on, such as the course ids)."""
    keys = [_version_key(pk) for pk in sorted(set(company_ids))]
    versions = cache.get_many(keys)
    name = "|".join(
        [what, today.isoformat(), *(f"{k}={versions.get(k, 0)}" for k in keys), repr(list(parts))]
    )
    key = "training:kept:" + hashlib.sha256(name.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        _counted.n += 1
        value = count()
        cache.set(key, value, KEEP_SECONDS)
    return value  # type: ignore[no-any-return]


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: once, after
        forget(getattr(instance, "company_id", None))


def connect() -> None:
    """Forget a company's figures whenever what they are counted from changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from personnel.models import Employee, SecurityRole
    from training.models import Course, Retraining, TrainingRecord

    for model in (Course, Employee, TrainingRecord, Retraining, SecurityRole):
        post_save.connect(_changed, sender=model, dispatch_uid=f"training-kept-save-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"training-kept-del-{model}")
    # Either side may be the instance (course.roles.add or role.courses.add); both belong
    # to the company. Rows that go with a deleted course, person or role are covered by
    # that delete.
    for through in (Course.roles.through, Employee.roles.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"training-kept-m2m-{through}")
