"""The Celery app: tasks are discovered in every installed app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etwinning.settings")

app = Celery("etwinning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="etwinning.ping")
def ping(value: str = "pong") -> str:
    """A health probe: returns its argument, proving a worker took the message."""
    return value
