"""R7 ideas (post, answer, turn into a proposal), the school panel and the demo data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.demo import DemoWorld, seed_accounts
from accounts.enums import MembershipStatus
from projects.demo import seed_projects
from projects.enums import IdeaReplyStatus, ProjectKind, ProjectStatus
from projects.models import (
    IdeaReply,
    Invitation,
    PartnerSearchEntry,
    Project,
    ProjectApproval,
    ProjectIdea,
)
from tests.factories.accounts import PASSWORD, SchoolFactory, country, make_teacher
from tests.factories.projects import make_founded_project

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_idea_is_posted_answered_and_becomes_a_proposal(client):
    author = make_teacher(SchoolFactory(country=country("RO")))
    fan = make_teacher(SchoolFactory(country=country("IT")))
    login(client, author)
    client.post(
        reverse("projects:idea_new"),
        {
            "title": "Our bridges",
            "description": "Compare bridges.",
            "subjects": ["art"],
        },
    )
    idea = ProjectIdea.objects.get()
    client.logout()
    login(client, fan)
    assert "Our bridges" in client.get(reverse("projects:ideas")).content.decode()
    client.post(idea.get_absolute_url(), {"message": "Count us in"})
    reply = IdeaReply.objects.get()
    client.logout()
    login(client, author)
    assert (
        "would like to work with you"
        in client.get(reverse("dashboard")).content.decode()
    )
    response = client.post(
        reverse("projects:idea_reply", args=[reply.pk]), {"decision": "accept"}
    )
    assert f"cofounder={fan.pk}" in response["Location"]
    form = client.get(response["Location"]).content.decode()
    assert "Our bridges" in form  # the idea fills the proposal form
    assert IdeaReply.objects.get().status == IdeaReplyStatus.ACCEPTED


def test_pending_teacher_cannot_post_an_idea(client):
    pending = make_teacher(status=MembershipStatus.PENDING)
    login(client, pending)
    response = client.post(
        reverse("projects:idea_new"), {"title": "x", "description": "y"}
    )
    assert response.status_code == 403
    assert not ProjectIdea.objects.exists()


def test_school_page_lists_the_schools_projects(client):
    a = make_teacher(SchoolFactory(country=country("RO")))
    b = make_teacher(SchoolFactory(country=country("IT")))
    project = make_founded_project(a, b, title="Shared skies")
    login(client, a)
    school = a.memberships.get().school
    html = client.get(reverse("accounts:school", args=[school.pk])).content.decode()
    assert project.title in html


def test_demo_projects_cover_every_state_and_seed_twice_the_same():
    def seed():
        world = DemoWorld()
        seed_accounts(world)
        seed_projects(world)

    seed()
    counts = [
        Project.objects.count(),
        Invitation.objects.count(),
        ProjectIdea.objects.count(),
        IdeaReply.objects.count(),
        ProjectApproval.objects.count(),
        PartnerSearchEntry.objects.count(),
    ]
    seed()
    assert counts == [
        Project.objects.count(),
        Invitation.objects.count(),
        ProjectIdea.objects.count(),
        IdeaReply.objects.count(),
        ProjectApproval.objects.count(),
        PartnerSearchEntry.objects.count(),
    ]
    kinds = set(Project.objects.values_list("kind", flat=True))
    assert {ProjectKind.EUROPEAN, ProjectKind.NATIONAL} <= kinds
    assert Project.objects.filter(status=ProjectStatus.AWAITING_APPROVAL).exists()
    assert Invitation.objects.filter(status="pending").exists()
    assert PartnerSearchEntry.objects.count() >= 10
