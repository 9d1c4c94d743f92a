"""Trigram indexes for the school search and the near-match check (R3), PostgreSQL only.

"My school is already registered" searches names and cities by substring, and the
near-match check compares names by trigram similarity; both use these GIN indexes on the
normalised keys. SQLite (development) has no pg_trgm and does without.
"""

from django.db import migrations


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS school_name_key_trgm "
        "ON accounts_school USING gin (name_key gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS school_city_key_trgm "
        "ON accounts_school USING gin (city_key gin_trgm_ops)"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS school_name_key_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS school_city_key_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_membership_change_kind"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
