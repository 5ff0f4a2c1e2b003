from __future__ import annotations

from typing import Any

from django.db import migrations

from core.reminder_migrations import copy

# The old log's kinds as the stages of core.reminders ("never taken" counts as overdue).
STAGE = {"before": "30", "after": "overdue", "missing": "overdue"}


def forwards(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("training", "ReminderLog")
    copy(
        apps,
        (
            {
                "kind": "training_course",
                "key": f"{r.employee_id}:{r.course_id}:{r.key}",
                "stage": STAGE[r.kind],
                "recipients": r.recipients.split(","),
                "company_id": r.company_id,
                "due_date": r.due_on,
                "sent_at": r.sent_at,
            }
            for r in old.objects.iterator(chunk_size=500)
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_random_upload_names"),
        ("core", "0004_sent_reminder"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReminderLog"),
    ]
