"""For the data migrations that moved the three old reminder logs (profiles'
`SentReminder`, training's `ReminderLog`, certification's `DeadlineReminder`) into
`core.SentReminder`: each old row becomes one row per recipient under the kind and key the
new providers use, keeping `sent_at`, so nobody is reminded again after the upgrade (and a
reminder recorded but never sent is sent by the next run)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

CHUNK = 500


def copy(apps: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Write `rows` (kind, key, stage, recipients, company_id, due_date, title, sent_at) to
    the historical `core.SentReminder`, one row per recipient."""
    sent_reminder = apps.get_model("core", "SentReminder")
    batch: list[Any] = []
    for row in rows:
        for recipient in sorted({r.strip().lower() for r in row["recipients"] if r.strip()}):
            batch.append(
                sent_reminder(
                    kind=row["kind"],
                    key=row["key"][:100],
                    stage=row["stage"],
                    recipient=recipient,
                    company_id=row["company_id"],
                    due_date=row["due_date"],
                    title=row.get("title", "")[:300],
                    sent_at=row["sent_at"],
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
