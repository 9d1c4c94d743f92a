"""The public pages answer everyone; settings read from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from etwinning.env import database_from_url, envbool


@pytest.mark.django_db
def test_home_answers_200_to_anyone(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Sign up" in response.content


@pytest.mark.django_db
def test_home_in_romanian(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ro")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ro"


@pytest.mark.django_db
def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_database_url_parsing(tmp_path):
    pg = database_from_url(
        "postgres://postgres:secret@127.0.0.1:5432/etwinning", tmp_path
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "etwinning",
        "postgres",
        "secret",
        "127.0.0.1",
        "5432",
    )
    lite = database_from_url("sqlite:///db.sqlite3", tmp_path)
    assert lite["NAME"] == str(tmp_path / "db.sqlite3")
    assert database_from_url("sqlite:////var/x.db", tmp_path)["NAME"] == "/var/x.db"
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y", tmp_path)


def test_envbool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        envbool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_FLAG", "yes")
    assert envbool("SOME_FLAG", False) is True
