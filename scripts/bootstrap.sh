#!/usr/bin/env bash
# Shared setup: a virtual environment with everything installed, and the translations compiled.
# Sourced by scripts/run-demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"

apt_install() {
  # Debian packages the portal needs on a fresh machine (gettext for translations, Chromium for tests).
  if command -v apt-get >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y --no-install-recommends "$@" >/dev/null \
      || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "$@" >/dev/null; }
  else
    echo "Please install: $*" >&2
    exit 1
  fi
}

command -v msgfmt >/dev/null 2>&1 || apt_install gettext
.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
