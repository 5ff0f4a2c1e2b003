"""For the data migrations that moved the three old reminder logs (profiles'
`SentReminder`, training's `ReminderLog`, certification's `DeadlineReminder`) into
`core.SentReminder`: each old row becomes one row per recipient under the kind and key the
new providers use, keeping `sent_at`, so nobody is reminded again after the upgrade (and a
reminder recorded but never sent is sent by the next run)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from django.db import migrations
from django.db.migrations.operations.base import Operation

CHUNK = 500


class OldRow(NamedTuple):
    """What an old log row says, in the new log's terms."""

    kind: str
    key: str
    stage: str
    recipients: Iterable[str]
    company_id: int | None
    due_date: datetime.date | None
    title: str
    sent_at: datetime.datetime | None


def move(app_label: str, model: str, convert: Callable[[Any], OldRow]) -> list[Operation]:
    """The operations of one app's migration: copy `app_label.model` into the new log
    through `convert`, then drop the old model."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        old = apps.get_model(app_label, model)
        copy(apps, (convert(r) for r in old.objects.iterator(chunk_size=CHUNK)))

    return [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name=model),
    ]


def copy(apps: Any, rows: Iterable[OldRow]) -> None:
    """Write `rows` to the historical `core.SentReminder`, one row per recipient."""
    sent_reminder = apps.get_model("core", "SentReminder")
    batch: list[Any] = []
    for row in rows:
        for recipient in sorted({r.strip().lower() for r in row.recipients if r.strip()}):
            batch.append(
                sent_reminder(
                    kind=row.kind,
                    key=row.key[:100],
                    stage=row.stage,
                    recipient=recipient,
                    company_id=row.company_id,
                    due_date=row.due_date,
                    title=row.title[:300],
                    sent_at=row.sent_at,
                )
            )
        if len(batch) >= CHUNK:
            sent_reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    sent_reminder.objects.bulk_create(batch, ignore_conflicts=True)


def due_in_key(key: str) -> datetime.date | None:
    """The due date at the end of an old key ("12:2026-06-30"), when there is one."""
    try:
        return datetime.date.fromisoformat(key.rsplit(":", 1)[-1])
    except ValueError:
        return None
