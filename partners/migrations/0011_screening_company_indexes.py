import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0010: PostgreSQL refuses to alter a table with the pending trigger
    events that 0010's UPDATE leaves in its transaction."""

    dependencies = [("partners", "0010_dashboard_status_screening_company")]

    operations = [
        migrations.AlterField(
            model_name="partnerscreening",
            name="company",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="companies.company",
            ),
        ),
        migrations.AddIndex(
            model_name="businesspartner",
            index=models.Index(
                fields=["company", "tier", "country", "on_hold", "screening_status"],
                name="partner_dashboard",
            ),
        ),
        migrations.AddIndex(
            model_name="partnerscreening",
            index=models.Index(
                fields=["company", "screened_at", "id"], name="screening_company_order"
            ),
        ),
        migrations.AddIndex(
            model_name="partnerscreening",
            index=models.Index(
                fields=["company", "status", "screened_at", "id"], name="screening_company_status"
            ),
        ),
    ]
