"""Markers shared by the test suite."""

import pytest
from django.conf import settings

IS_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

# Tests about locks, concurrency and PostgreSQL-only queries: CI runs them on PostgreSQL.
requires_postgres = pytest.mark.skipif(
    not IS_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)"
)
