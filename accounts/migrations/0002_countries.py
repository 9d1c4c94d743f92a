"""Load the 46 eTwinning countries, name the site, and enable pg_trgm on PostgreSQL."""

from django.db import migrations


def load_countries(apps, schema_editor):
    from accounts.countries import COUNTRIES

    Country = apps.get_model("accounts", "Country")
    for code, name, is_plus, _weight in COUNTRIES:
        Country.objects.update_or_create(code=code, defaults={"name_en": str(name), "is_plus": is_plus})
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "etwinning.local", "name": "eTwinning"})


def enable_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.RunPython(enable_trigram, migrations.RunPython.noop),
        migrations.RunPython(load_countries, migrations.RunPython.noop),
    ]
