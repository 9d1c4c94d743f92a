"""PostgreSQL only: pg_trgm GIN indexes so partner search filters stay index-driven (PERF.md).

The token columns (" mathematics physics ") are filtered with LIKE '% mathematics %',
which a gin_trgm_ops index answers; the text column gets one too for free-text search.
SQLite (tests) keeps plain scans: the same queries work there, only slower.
"""

from django.db import migrations

COLUMNS = ("subjects", "languages", "age_groups", "interests", "text")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS psearch_{column}_trgm "  # noqa: S608 - fixed names
            f"ON projects_partnersearchentry USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS psearch_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_countries"),
        ("projects", "0002_ideas_invitations_approvals_search"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
