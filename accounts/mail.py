"""Mail to portal users, rendered in the recipient's language (STYLE: i18n)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import User


def send_user_mail(
    user: User,
    template: str,
    context: dict | None = None,
    *,
    connection=None,
) -> bool:
    """Render `<template>_subject.txt` and `<template>_body.txt` for `user` and send them.

    Returns False (and sends nothing) for users without an e-mail address (pupils). Pass an
    open `connection` (django.core.mail.get_connection()) to send many mails through one
    SMTP session instead of one session per mail.
    """
    if not user.email or user.is_pupil:
        return False
    ctx = {"user": user, "site_url": settings.SITE_URL, **(context or {})}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", ctx).strip()
        body = render_to_string(f"{template}_body.txt", ctx)
    send_mail(
        settings.EMAIL_SUBJECT_PREFIX_PORTAL + subject,
        body,
        None,
        [user.email],
        connection=connection,
    )
    return True
