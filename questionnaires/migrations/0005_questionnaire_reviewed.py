"""A submitted questionnaire now waits on the member's review (`reviewed_at`); those
submitted before the step existed count as reviewed when they were submitted, so the
upgrade puts no old questionnaire in anybody's task list."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def reviewed_when_submitted(apps, schema_editor):  # type: ignore[no-untyped-def]
    questionnaire = apps.get_model("questionnaires", "Questionnaire")
    questionnaire.objects.filter(status="submitted", reviewed_at__isnull=True).update(
        reviewed_at=F("submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaires", "0004_member_question_sets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="questionnaire",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.RunPython(reviewed_when_submitted, migrations.RunPython.noop),
    ]
