"""Permissions of R7-R11: who founds, joins, sees member pages and closes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import MembershipStatus, Role
from accounts.models import Country
from projects import services
from projects.enums import InvitationKind, ProjectStatus
from projects.models import Invitation
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    country,
    make_evaluator,
    make_teacher,
)
from tests.factories.projects import make_founded_project

pytestmark = pytest.mark.django_db


def teacher_in(code: str, **kwargs):
    return make_teacher(SchoolFactory(country=country(code)), **kwargs)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def project():
    return make_founded_project(teacher_in("RO"), teacher_in("IT"))


@pytest.mark.parametrize(
    ("status", "role"),
    [
        (MembershipStatus.PENDING, Role.TEACHER),
        (MembershipStatus.AWAITING_HEAD, Role.TEACHER),
        (MembershipStatus.VALIDATED, Role.FUTURE_TEACHER),
        (MembershipStatus.VALIDATED, Role.INSPECTOR),
    ],
)
def test_only_validated_teachers_found_and_join(project, status, role):
    outsider = teacher_in("ES", status=status, role=role)
    assert not outsider.has_perm("projects.found_project")
    assert not outsider.has_perm("projects.request_to_join", project)
    with pytest.raises(services.ProjectRuleError):
        services.request_to_join(project, teacher=outsider)
    with pytest.raises(services.ProjectRuleError):
        services.propose_project(proposer=outsider, title="x", description="y")


def test_pending_teacher_sees_the_refusal_on_the_join_button(client, project):
    pending = teacher_in("ES", status=MembershipStatus.PENDING)
    login(client, pending)
    client.post(reverse("projects:join", args=[project.pk]))
    assert not Invitation.objects.exists()
    page = client.get(project.get_absolute_url())
    assert "Ask to join" not in page.content.decode()


def test_validated_teacher_asks_to_join_from_the_project_page(client, project):
    teacher = teacher_in("ES")
    login(client, teacher)
    assert "Ask to join" in client.get(project.get_absolute_url()).content.decode()
    client.post(reverse("projects:join", args=[project.pk]), {"message": "Hi"})
    request = Invitation.objects.get()
    assert request.kind == InvitationKind.REQUEST
    assert request.school == teacher.memberships.get().school


def test_only_members_see_member_pages(client, project):
    outsider = teacher_in("ES")
    login(client, outsider)
    assert client.get(reverse("projects:members", args=[project.pk])).status_code == 403
    # The public page shows schools, never the teachers' names.
    founder = project.members.first().teacher
    html = client.get(project.get_absolute_url()).content.decode()
    assert project.members.first().school.name in html
    assert founder.display_name not in html
    client.logout()
    login(client, founder)
    page = client.get(reverse("projects:members", args=[project.pk]))
    assert page.status_code == 200
    assert founder.display_name in page.content.decode()


def test_a_proposal_is_visible_to_its_founder_and_invitee_only(client):
    a, b, outsider = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    proposal = services.propose_project(proposer=a, title="Secret", description="d")
    services.invite_cofounder(proposal, b, inviter=a)
    for user, status in ((a, 200), (b, 200), (outsider, 403)):
        client.logout()
        login(client, user)
        assert client.get(proposal.get_absolute_url()).status_code == status


def test_only_founders_close(client, project):
    partner = teacher_in("ES")
    services.answer_invitation(
        services.invite_partner(
            project, partner, inviter=project.members.first().teacher
        ),
        accept=True,
        actor=partner,
    )
    login(client, partner)
    assert client.post(reverse("projects:close", args=[project.pk])).status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    client.logout()
    login(client, project.members.first().teacher)
    assert client.get(reverse("projects:close", args=[project.pk])).status_code == 200
    client.post(reverse("projects:close", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED


def test_closed_project_stays_visible_and_read_only(client, project):
    founder = project.members.first().teacher
    services.close_project(project, actor=founder)
    outsider = teacher_in("ES")
    login(client, outsider)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "This project is closed" in html
    assert "Ask to join" not in html
    client.logout()
    login(client, founder)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Find and invite partners" not in html
    assert "Close the project" not in html


def test_evaluator_reviews_only_projects_of_their_countries(project):
    assert make_evaluator("RO").has_perm("projects.review_project", project)
    assert not make_evaluator("PL").has_perm("projects.review_project", project)


def test_non_member_cannot_invite_through_the_view(client, project):
    outsider, target = teacher_in("ES"), teacher_in("PL")
    login(client, outsider)
    response = client.post(
        reverse("projects:invite", args=[project.pk]), {"teacher": target.pk}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_national_proposal_can_be_founded_through_the_pages(client):
    Country.objects.update(requires_project_approval=False)
    a, b = teacher_in("RO"), teacher_in("RO")
    proposal = services.propose_project(proposer=a, title="Local", description="d")
    login(client, a)
    client.post(reverse("projects:invite", args=[proposal.pk]), {"teacher": b.pk})
    invitation = Invitation.objects.get()
    client.logout()
    login(client, b)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "invites you to co-found" in dashboard
    client.post(
        reverse("projects:answer", args=[invitation.pk]), {"decision": "accept"}
    )
    proposal.refresh_from_db()
    assert proposal.status == ProjectStatus.ACTIVE
    assert proposal.kind == "national"


def test_evaluator_reads_the_project_they_are_asked_to_approve(client):
    a, b = teacher_in("RO"), teacher_in("IT")
    proposal = services.propose_project(proposer=a, title="Waiting", description="d")
    services.answer_invitation(
        services.invite_cofounder(proposal, b, inviter=a), accept=True, actor=b
    )
    login(client, make_evaluator("IT"))
    assert client.get(proposal.get_absolute_url()).status_code == 200
    client.logout()
    login(client, make_evaluator("PL"))
    assert client.get(proposal.get_absolute_url()).status_code == 403
