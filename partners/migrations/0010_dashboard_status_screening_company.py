import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def copy_company_and_latest_status(apps, schema_editor):
    """Each screening gets its partner's company; each partner its latest screening's
    status (one UPDATE each)."""
    partner = apps.get_model("partners", "BusinessPartner")
    screening = apps.get_model("partners", "PartnerScreening")
    screening.objects.update(
        company=Subquery(partner.objects.filter(pk=OuterRef("partner_id")).values("company")[:1])
    )
    latest = (
        screening.objects.filter(partner=OuterRef("pk"))
        .order_by("-screened_at", "-pk")
        .values("status")[:1]
    )
    partner.objects.update(screening_status=Coalesce(Subquery(latest), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_invitation"),
        ("partners", "0009_list_and_latest_screening_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="businesspartner",
            name="screening_status",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="latest screening"
            ),
        ),
        migrations.AddField(
            model_name="partnerscreening",
            name="company",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="companies.company",
            ),
        ),
        migrations.RunPython(copy_company_and_latest_status, migrations.RunPython.noop),
    ]
