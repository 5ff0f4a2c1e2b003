from __future__ import annotations

from typing import Any

from django.db import migrations

from core.reminder_migrations import copy, due_in_key


def forwards(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("profiles", "SentReminder")
    copy(
        apps,
        (
            {
                "kind": r.topic,
                "key": r.key,
                "stage": r.stage,
                "recipients": r.recipients,
                "company_id": r.company_id,
                "due_date": due_in_key(r.key),
                "title": r.subject,
                "sent_at": r.sent_at,
            }
            for r in old.objects.iterator(chunk_size=500)
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0001_initial"),
        ("core", "0004_sent_reminder"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="SentReminder"),
    ]
