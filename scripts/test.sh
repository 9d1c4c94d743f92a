#!/usr/bin/env bash
# Set up everything and run the whole test suite (browser journeys in Debian's Chromium).
# Uses SQLite unless DATABASE_URL is set; CELERY_BROKER_URL points the worker tests at Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
command -v chromium >/dev/null 2>&1 || apt_install chromium
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
