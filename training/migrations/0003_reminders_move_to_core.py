from __future__ import annotations

from typing import Any

from django.db import migrations

from core.reminder_migrations import OldRow, move

# The old log's kinds as the stages of core.reminders ("never taken" counts as overdue).
STAGE = {"before": "30", "after": "overdue", "missing": "overdue"}


def convert(r: Any) -> OldRow:
    key = f"{r.employee_id}:{r.course_id}:{r.key}"
    to = r.recipients.split(",")
    return OldRow("training_course", key, STAGE[r.kind], to, r.company_id, r.due_on, "", r.sent_at)


class Migration(migrations.Migration):
    dependencies = [("training", "0002_random_upload_names"), ("core", "0004_sent_reminder")]
    operations = move("training", "ReminderLog", convert)
