"""Signing in by username or e-mail, rate-limited failures, password reset (allauth 65)."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories.accounts import PASSWORD, make_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    user = make_teacher(username="maria", email="maria@example.org")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.mark.parametrize("login", ["maria", "maria@example.org", "MARIA@example.org"])
def test_sign_in_by_username_or_email(client, teacher, login):
    response = client.post(
        reverse("account_login"), {"login": login, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user == teacher


def test_wrong_password_gets_a_message_and_keeps_the_login(client, teacher):
    response = client.post(
        reverse("account_login"), {"login": "maria", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert 'value="maria"' in response.content.decode()


def test_failed_sign_ins_are_rate_limited(client, teacher):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "maria", "password": "wrong"})
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": "maria", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_mail(client, teacher):
    response = client.post(
        reverse("account_reset_password"), {"email": "maria@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["maria@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_sign_up_requires_verified_email_before_sign_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newteacher",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert "confirm-email" in mail.outbox[-1].body
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "newteacher", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
