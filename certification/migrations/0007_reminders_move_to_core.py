from __future__ import annotations

from typing import Any

from django.db import migrations

from core.reminder_migrations import OldRow, move


def convert(r: Any) -> OldRow:
    key = f"{r.certification_id}:{r.kind}:{r.due_date}"
    company = r.certification.company_id
    kind = "certification_deadline"
    return OldRow(kind, key, r.stage, r.recipients, company, r.due_date, r.subject, r.sent_at)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_vetting_list_screening"),
        ("core", "0004_sent_reminder"),
    ]
    operations = move("certification", "DeadlineReminder", convert)
