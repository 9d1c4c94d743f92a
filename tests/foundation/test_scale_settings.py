"""Settings for growing past one machine: a read replica for partner search (README, Scale)
and sessions in the shared cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from accounts.models import School
from etwinning.routers import SearchReplicaRouter
from projects.models import PartnerSearchEntry

ROOT = Path(__file__).resolve().parents[2]


def _shell(script: str, env: dict) -> str:
    """The last line `manage.py shell -c script` prints, in a fresh process with `env`."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_router_sends_search_reads_to_the_replica_and_everything_else_to_the_primary():
    router = SearchReplicaRouter()
    assert router.db_for_read(PartnerSearchEntry) == "replica"
    assert router.db_for_read(School) is None
    assert router.db_for_write(PartnerSearchEntry) is None
    assert router.allow_migrate("default", "projects") is not False
    assert router.allow_migrate("replica", "projects") is False


def test_settings_add_the_replica_and_the_router_only_when_configured(tmp_path):
    script = (
        "from django.conf import settings;"
        "from projects.models import PartnerSearchEntry;"
        "from accounts.models import School;"
        "print(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []),"
        " PartnerSearchEntry.objects.all().db, School.objects.all().db,"
        " settings.DATABASES.get('replica', {}).get('NAME'))"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    base["DATABASE_URL"] = f"sqlite:///{tmp_path}/primary.sqlite3"

    assert _shell(script, base) == "['default'] [] default default None"
    replica = f"{tmp_path}/replica.sqlite3"
    out = _shell(script, base | {"DATABASE_REPLICA_URL": f"sqlite:///{replica}"})
    assert out == (
        "['default', 'replica'] ['etwinning.routers.SearchReplicaRouter'] "
        f"replica default {replica}"
    )


def test_sessions_read_from_the_cache_only_when_it_is_shared(tmp_path):
    script = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    base = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    base["DATABASE_URL"] = f"sqlite:///{tmp_path}/primary.sqlite3"

    assert _shell(script, base) == "django.contrib.sessions.backends.db"
    shared = _shell(script, base | {"CACHE_URL": "redis://127.0.0.1:6379/9"})
    assert shared == "django.contrib.sessions.backends.cached_db"
