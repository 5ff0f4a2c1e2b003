"""Figures of a whole company, kept a short while in the cache and forgotten the moment
what they are counted from changes.

Some pages count a large part of a company's rows on every request: how 5,000 people
stand on their courses (training), twelve months of 200,000 inspections (the operations
figures). The rows change far less often than the pages are read. A `Keeper` keeps what a
count returned, per company and day, for `KEEP_SECONDS`, under a version each company
carries in the cache. Any saved or deleted row of the models the keeper watches
(`Keeper.watch`, connected in the app's `ready()`) gives the row's company a new version,
so the next page counts again and a change shows at once. Writes that bypass the models'
signals (`QuerySet.update`, `bulk_create`) show within `KEEP_SECONDS`.

Apps register what they keep here; the mechanism lives once.
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
from django.db import models, transaction

KEEP_SECONDS = 120
T = TypeVar("T")


class _Counted(threading.local):
    n = 0  # how many times this thread counted figures to keep (any keeper)


_counted = _Counted()


class Keeper:
    """Kept figures under one name (`training`, `operations`): each has its own versions,
    so a new inspection does not make the training figures count again."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _version_key(self, company_id: int) -> str:
        return f"{self.name}:version:{company_id}"

    def forget(self, company_id: int | None) -> None:
        """The company's kept figures are out of date: the next page counts again.

        Once now, and once more when the transaction commits, so that a page another
        process counts meanwhile (from the rows before the change) does not keep its
        figures under the new version. Within one transaction a company is forgotten once
        until something is counted again (recording a session's 100 attendees writes the
        version twice, not 200 times)."""
        if company_id is None:
            return
        connection = transaction.get_connection()
        marker = (self.name, company_id, _counted.n)
        if connection.in_atomic_block:
            if any(getattr(f, "forgets", None) == marker for _, f, _ in connection.run_on_commit):
                return
        self._new_version(company_id)
        if connection.in_atomic_block:
            later = functools.partial(self._new_version, company_id)
            later.forgets = marker  # type: ignore[attr-defined]
            transaction.on_commit(later)

    def _new_version(self, company_id: int) -> None:
        cache.set(self._version_key(company_id), uuid.uuid4().hex[:12], None)

    def kept(
        self,
        what: str,
        company_ids: Iterable[int],
        today: datetime.date,
        parts: Iterable[Any],
        count: Callable[[], T],
    ) -> T:
        """`count()`, kept for `KEEP_SECONDS` under `what`, the companies' versions, the
        day and `parts` (whatever else the figures depend on, such as the course ids)."""
        keys = [self._version_key(pk) for pk in sorted(set(company_ids))]
        versions = cache.get_many(keys)
        name = "|".join(
            [
                what,
                today.isoformat(),
                *(f"{k}={versions.get(k, 0)}" for k in keys),
                repr(list(parts)),
            ]
        )
        key = f"{self.name}:kept:" + hashlib.sha256(name.encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            _counted.n += 1
            value = count()
            cache.set(key, value, KEEP_SECONDS)
        return value  # type: ignore[no-any-return]

    def watch(
        self,
        *senders: type[models.Model],
        company_of: Callable[[Any], int | None] = lambda row: getattr(row, "company_id", None),
    ) -> None:
        """Forget a company's figures whenever a row of `senders` (models, or many-to-many
        `through` models, whose instance is either side) is saved, deleted or, for a
        many-to-many, changed. `company_of` gives a row's company id."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
            if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: once, after
                self.forget(company_of(instance))

        for sender in senders:
            uid = f"kept-{self.name}-{sender._meta.label}"
            if sender._meta.auto_created:
                m2m_changed.connect(changed, sender=sender, weak=False, dispatch_uid=uid + "-m2m")
            else:
                for signal, suffix in ((post_save, "-save"), (post_delete, "-delete")):
                    signal.connect(changed, sender=sender, weak=False, dispatch_uid=uid + suffix)
