"""The account adapter loads whatever Django loaded before it (system checks may ask for it
before any URL configuration has imported allauth's internals)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_adapter_loads_first_in_a_fresh_process():
    script = (
        "import django; django.setup();"
        "from allauth.account.adapter import get_adapter;"
        "stages = get_adapter().get_login_stages();"
        "print('accounts.stages.PupilAwareEmailVerificationStage' in stages)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "etwinning.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
