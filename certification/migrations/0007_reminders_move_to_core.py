from __future__ import annotations

from typing import Any

from django.db import migrations

from core.reminder_migrations import copy


def forwards(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("certification", "DeadlineReminder")
    copy(
        apps,
        (
            {
                "kind": "certification_deadline",
                "key": f"{r.certification_id}:{r.kind}:{r.due_date}",
                "stage": r.stage,
                "recipients": r.recipients,
                "company_id": r.certification.company_id,
                "due_date": r.due_date,
                "title": r.subject,
                "sent_at": r.sent_at,
            }
            for r in old.objects.select_related("certification").iterator(chunk_size=500)
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_vetting_list_screening"),
        ("core", "0004_sent_reminder"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="DeadlineReminder"),
    ]
