"""R8: proposing a project (the form, its messages, and who may use it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import MembershipStatus, Role
from projects.enums import MemberRole, ProjectStatus
from projects.models import Project
from tests.factories.accounts import PASSWORD, make_teacher

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Our rivers",
        "description": "Pupils map the rivers of their towns.",
        "objectives": "Science and English.",
        "subjects": ["biology", "geography"],
        "age_min": 12,
        "age_max": 15,
        "languages": ["en"],
        "planned_start": "2027-01-10",
        "planned_end": "2027-06-10",
    }
    data.update(overrides)
    return data


def test_validated_teacher_proposes_a_project_and_is_its_first_founder(client):
    teacher = make_teacher()
    client.login(username=teacher.username, password=PASSWORD)
    response = client.post(reverse("projects:propose"), _form())
    project = Project.objects.get()
    assert response.status_code == 302
    assert project.status == ProjectStatus.PROPOSED
    assert project.kind == ""
    assert project.members.get().role == MemberRole.FOUNDER


@pytest.mark.parametrize(
    ("status", "role"),
    [
        (MembershipStatus.PENDING, Role.TEACHER),
        (MembershipStatus.VALIDATED, Role.FUTURE_TEACHER),
        (MembershipStatus.VALIDATED, Role.INSPECTOR),
    ],
)
def test_pending_future_teacher_and_inspector_cannot_propose(client, status, role):
    teacher = make_teacher(status=status, role=role)
    client.login(username=teacher.username, password=PASSWORD)
    page = client.get(reverse("projects:propose"))
    assert page.status_code == 403
    assert "waiting for validation" in page.content.decode()
    client.post(reverse("projects:propose"), _form())
    assert not Project.objects.exists()


def test_proposal_with_end_before_start_and_ages_reversed_shows_messages_and_keeps_input(
    client,
):
    teacher = make_teacher()
    client.login(username=teacher.username, password=PASSWORD)
    response = client.post(
        reverse("projects:propose"),
        _form(age_min=15, age_max=12, planned_end="2026-12-01"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "must come after the planned start" in html
    assert "must not be above" in html
    assert "Our rivers" in html
    assert not Project.objects.exists()
