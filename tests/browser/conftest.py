"""Browser journeys: a live server on a real database, Debian's Chromium."""

from __future__ import annotations

import re

import pytest
from django.core import mail


@pytest.fixture
def portal_url(live_server):
    return live_server.url


def confirmation_link(to: str) -> str:
    """The e-mail verification link sent to `to` (locmem outbox)."""
    for message in reversed(mail.outbox):
        if to in message.to:
            match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no confirmation mail to {to}")


def sign_in(page, base_url: str, login: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
