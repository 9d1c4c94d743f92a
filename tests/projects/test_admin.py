"""R9a in the admin: evaluators see and decide only their own countries' approvals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Country
from projects import services
from projects.enums import ApprovalStatus, ProjectStatus
from projects.models import ProjectApproval
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    country,
    make_evaluator,
    make_teacher,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:projects_projectapproval_changelist"


def teacher_in(code: str):
    return make_teacher(SchoolFactory(country=country(code)))


def awaiting(a_code: str, b_code: str, title: str = "Rivers"):
    a, b = teacher_in(a_code), teacher_in(b_code)
    project = services.propose_project(proposer=a, title=title, description="d")
    services.answer_invitation(
        services.invite_cofounder(project, b, inviter=a), accept=True, actor=b
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.AWAITING_APPROVAL
    return project


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_evaluator_lists_only_approvals_of_their_country(client):
    ro_it = awaiting("RO", "IT", "Rivers")
    awaiting("PL", "ES", "Mountains")
    login(client, make_evaluator("RO"))
    page = client.get(reverse(CHANGELIST))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rivers" in html
    assert "Mountains" not in html
    other = ProjectApproval.objects.get(project=ro_it, country__code="IT")
    change = reverse("admin:projects_projectapproval_change", args=[other.pk])
    assert client.get(change).status_code in (302, 404)


def test_bulk_approve_opens_projects_once_every_country_approved(client):
    european = awaiting("RO", "IT", "Rivers")
    national = awaiting("RO", "RO", "Forests")
    login(client, make_evaluator("RO"))
    ids = ProjectApproval.objects.filter(country__code="RO").values_list(
        "pk", flat=True
    )
    client.post(
        reverse(CHANGELIST),
        {"action": "approve_selected", "_selected_action": [str(i) for i in ids]},
    )
    national.refresh_from_db()
    european.refresh_from_db()
    assert national.status == ProjectStatus.ACTIVE
    assert european.status == ProjectStatus.AWAITING_APPROVAL  # Italy still decides
    login(client, make_evaluator("IT"))
    it = ProjectApproval.objects.get(project=european, country__code="IT")
    client.post(
        reverse("admin:projects_projectapproval_decide", args=[it.pk]),
        {"decision": "approve"},
    )
    european.refresh_from_db()
    assert european.status == ProjectStatus.ACTIVE


def test_evaluator_cannot_decide_another_countrys_approval(client):
    project = awaiting("RO", "IT")
    login(client, make_evaluator("PL"))
    approval = project.approvals.first()
    response = client.post(
        reverse("admin:projects_projectapproval_decide", args=[approval.pk]),
        {"decision": "approve"},
    )
    assert response.status_code in (403, 404, 302)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


def test_single_reject_with_a_note_tells_the_founders(client):
    project = awaiting("RO", "IT")
    login(client, make_evaluator("IT"))
    approval = project.approvals.get(country__code="IT")
    client.post(
        reverse("admin:projects_projectapproval_decide", args=[approval.pk]),
        {"decision": "reject", "note": "Please describe the activities."},
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.REJECTED
    login(client, project.created_by)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Please describe the activities." in html


def test_evaluator_sees_their_countrys_projects_in_the_admin(client):
    Country.objects.update(requires_project_approval=False)
    a, b = teacher_in("RO"), teacher_in("IT")
    project = services.propose_project(proposer=a, title="Seen", description="d")
    services.answer_invitation(
        services.invite_cofounder(project, b, inviter=a), accept=True, actor=b
    )
    c, d = teacher_in("PL"), teacher_in("ES")
    hidden = services.propose_project(proposer=c, title="Unseen", description="d")
    services.answer_invitation(
        services.invite_cofounder(hidden, d, inviter=c), accept=True, actor=d
    )
    login(client, make_evaluator("IT"))
    html = client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "Seen" in html
    assert "Unseen" not in html
