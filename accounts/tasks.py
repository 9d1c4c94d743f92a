"""Celery tasks of the accounts app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from accounts.mail import send_user_mail
from accounts.models import User


@shared_task(
    name="accounts.send_user_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def task_send_user_mail(
    *, user_id: int, template: str, context: dict | None = None
) -> bool:
    """Send a templated mail to a user; send it with transaction.on_commit(lambda: ....delay(...))."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False  # deleted before the worker ran
    return send_user_mail(user, template, context)
