"""Shared fixtures: Debian's Chromium for Playwright, a real Celery worker, mail outbox."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# same test are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
) -> None:
    """SQLite: the test database in a file, not in memory. In memory, the browser tests'
    live server shares the test thread's connection, and a request the browser sends
    after its test ended (a save on page hide) closed that shared connection from the
    wrong thread; with a file every server thread has its own connection."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"].endswith("sqlite3"):
        name = tmp_path_factory.mktemp("db") / "test.sqlite3"
        default.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Mail to the locmem outbox, uploads to a temporary folder, static files unhashed."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fast hasher: the default PBKDF2 costs ~0.3 s per sign-in, which adds up over the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from etwinning.celery import app

    app.conf.task_always_eager = True
    # Login rate limits use the cache: start every test with a fresh one.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def celery_worker_app(settings):
    """A real Celery worker in this process, consuming from the broker in CELERY_BROKER_URL
    (Redis in CI); on a machine without a broker, kombu's in-memory transport.

    Tasks that read the database need `django_db(transaction=True)`.
    """
    from celery.contrib.testing.worker import start_worker

    from etwinning.celery import app

    broker = os.environ.get("CELERY_BROKER_URL") or "memory://"
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = broker
    app.conf.result_backend = os.environ.get("CELERY_RESULT_BACKEND") or (
        broker if broker.startswith("redis") else "cache+memory://"
    )
    # An eager .delay() in an earlier test cached the "no backend" backend on this thread,
    # and the connection pools of the broker used then: start from fresh ones.
    if hasattr(app._local, "backend"):
        del app._local.backend
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    with start_worker(
        app,
        perform_ping_check=False,
        pool="solo",
        loglevel="WARNING",
        shutdown_timeout=10,
    ):
        yield app
    app.conf.task_always_eager = True
