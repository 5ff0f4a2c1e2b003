"""Name the site OpenCTPAT instead of Django's example.com, so sign-in e-mails greet users
with the product's name. A deployment changes the domain in the admin (Sites)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def name_site(apps: Any, schema_editor: Any) -> None:
    site_model = apps.get_model("sites", "Site")
    site_model.objects.filter(pk=1, domain="example.com").update(
        domain="127.0.0.1:8000", name="OpenCTPAT"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
