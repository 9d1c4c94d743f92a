"""QualityLabelApplication.country required, and the evaluators' list index (its own
migration: PostgreSQL refuses ALTER TABLE after the copy's updates in one transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("labels", "0007_nql_country"),
    ]

    operations = [
        migrations.AlterField(
            model_name="qualitylabelapplication",
            name="country",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.country",
                verbose_name="country",
            ),
        ),
        migrations.AddIndex(
            model_name="qualitylabelapplication",
            index=models.Index(
                fields=["country", "-submitted_at", "-id"], name="nql_country_submitted"
            ),
        ),
    ]
