"""QualityLabelApplication.country: the school's country, copied so that the NSO
evaluators' list filters and orders on one index (BENCHMARKS.md, evaluator's admin list)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_country(apps, schema_editor):
    application = apps.get_model("labels", "QualityLabelApplication")
    school = apps.get_model("accounts", "School")
    # One UPDATE for every row, whatever their number.
    application.objects.update(
        country_id=Subquery(
            school.objects.filter(pk=OuterRef("school_id")).values("country_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_school_search_trigram"),
        ("labels", "0006_eligibility_foreign_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="qualitylabelapplication",
            name="country",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.country",
                verbose_name="country",
            ),
        ),
        migrations.RunPython(copy_country, migrations.RunPython.noop),
    ]
