"""Personal data: a person downloads everything about them, and can erase their account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts import personal_data
from accounts.enums import MembershipStatus
from accounts.models import User
from tests.factories.accounts import PASSWORD, SchoolFactory, make_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    user = make_teacher(
        SchoolFactory(name="Liceul Teoretic Lucian Blaga"), first_name="Ana"
    )
    user.profile.project_ideas = "Rivers of Europe"
    user.profile.save()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def test_download_holds_profile_memberships_and_other_apps_parts(client, teacher):
    personal_data.register_exporter("test_app", lambda user: {"hello": user.pk})
    try:
        client.force_login(teacher)
        response = client.get(reverse("accounts:export_data"))
    finally:
        personal_data._exporters.pop("test_app")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == teacher.email
    assert data["accounts"]["profile"]["project_ideas"] == "Rivers of Europe"
    assert (
        data["accounts"]["school_memberships"][0]["school"]
        == "Liceul Teoretic Lucian Blaga"
    )
    assert data["test_app"] == {"hello": teacher.pk}


def test_delete_account_needs_the_password(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    assert "This is not your password." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.is_active


def test_deleting_the_account_erases_personal_data_and_keeps_an_anonymous_row(
    client, teacher
):
    erased = []
    personal_data.register_eraser(erased.append)
    try:
        client.force_login(teacher)
        response = client.post(
            reverse("accounts:delete_account"), {"password": PASSWORD}
        )
    finally:
        personal_data._erasers.remove(erased.append)
    assert response.status_code == 302
    user = User.objects.get(pk=teacher.pk)  # the row stays for contributions
    assert user.username == f"deleted-{user.pk}"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.is_anonymised
    assert not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert user.profile.project_ideas == ""
    assert user.memberships.get().status == MembershipStatus.ENDED
    assert erased == [user]
    # Signed out, and the old login no longer works.
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not client.login(username=teacher.username, password=PASSWORD)
