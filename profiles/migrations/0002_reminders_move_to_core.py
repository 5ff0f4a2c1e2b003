from __future__ import annotations

from typing import Any

from django.db import migrations

from core.reminder_migrations import OldRow, due_in_key, move


def convert(r: Any) -> OldRow:
    # The topics and keys of this log are the kinds and keys of the new providers.
    due = due_in_key(r.key)
    return OldRow(r.topic, r.key, r.stage, r.recipients, r.company_id, due, r.subject, r.sent_at)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial"), ("core", "0004_sent_reminder")]
    operations = move("profiles", "SentReminder", convert)
