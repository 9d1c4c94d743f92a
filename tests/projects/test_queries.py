"""Query budgets: the search, project list and dashboard pages run the same queries with
10 and with 200 rows (STYLE: query counts must not grow with data)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import search
from projects.enums import (
    InvitationKind,
    MemberRole,
    ProjectKind,
    ProjectStatus,
)
from projects.models import (
    IdeaReply,
    Invitation,
    Project,
    ProjectIdea,
    ProjectMember,
)
from tests.factories.accounts import PASSWORD, SchoolFactory, country, make_teacher

pytestmark = pytest.mark.django_db

# Every page first runs: the session, the user, and the navigation's context processor
# (the user's school links).
BASE = 3
# Panels other apps add to the dashboard (twinspace: 1, labels: 2 today); each has its
# own fixed budget, this leaves them a little room without letting anything grow per row.
OTHER_APPS_PANELS = 5


@pytest.fixture
def viewer(client):
    user = make_teacher(SchoolFactory(country=country("RO")))
    client.login(username=user.username, password=PASSWORD)
    return user


def make_projects(n: int, founders) -> list[Project]:
    """n European projects founded by `founders` (a, b), straight into the tables."""
    a, b = founders
    school_a = a.memberships.get().school
    school_b = b.memberships.get().school
    projects = Project.objects.bulk_create(
        [
            Project(
                title=f"Project {i}",
                description="d",
                subjects=["history"],
                kind=ProjectKind.EUROPEAN,
                status=ProjectStatus.ACTIVE,
                created_by=a,
                founded_at=timezone.now(),
            )
            for i in range(n)
        ]
    )
    ProjectMember.objects.bulk_create(
        [
            ProjectMember(project=p, teacher=t, school=s, role=MemberRole.FOUNDER)
            for p in projects
            for t, s in ((a, school_a), (b, school_b))
        ]
    )
    return projects


@pytest.mark.parametrize("rows", [10, 200])
def test_partner_search_query_budget(
    client, viewer, rows, django_assert_max_num_queries
):
    for i in range(rows):
        user = make_teacher(SchoolFactory(name=f"Scoala {i}"))
        search.sync_teacher(user.pk)
    # BASE + the ids of the page (LIMIT 21) + those teachers with school and country
    # + the country list of the filter form.
    with django_assert_max_num_queries(BASE + 3):
        response = client.get(
            reverse("projects:search"), {"subject": "mathematics", "q": "scoala"}
        )
    assert response.status_code == 200
    # Schools mode: BASE + the page of schools (with an EXISTS on the search table)
    # + the country list.
    with django_assert_max_num_queries(BASE + 2):
        response = client.get(
            reverse("projects:search"), {"mode": "schools", "subject": "mathematics"}
        )
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 200])
def test_project_list_query_budget(client, viewer, rows, django_assert_max_num_queries):
    founders = (
        make_teacher(SchoolFactory()),
        make_teacher(SchoolFactory(country=country("IT"))),
    )
    make_projects(rows, founders)
    # BASE + the page of projects (LIMIT 21) + their members with school and country
    # (one prefetch) + the country list of the filter form.
    with django_assert_max_num_queries(BASE + 3):
        response = client.get(reverse("projects:list"), {"kind": "european"})
    assert response.status_code == 200
    assert response.content.decode().count("stretched-link") == min(
        rows, search.PAGE_SIZE
    )


@pytest.mark.parametrize("rows", [10, 200])
def test_dashboard_query_budget(client, viewer, rows, django_assert_max_num_queries):
    partner = make_teacher(SchoolFactory(country=country("IT")))
    projects = make_projects(rows, (viewer, partner))
    others = [make_teacher(SchoolFactory(country=country("ES"))) for _ in range(3)]
    Invitation.objects.bulk_create(
        [
            Invitation(
                project=p,
                teacher=others[0],
                kind=InvitationKind.PARTNER,
                sent_by=viewer,
            )
            for p in projects[0::3]
        ]
        + [
            Invitation(
                project=p,
                teacher=others[1],
                kind=InvitationKind.REQUEST,
                sent_by=others[1],
                school=others[1].memberships.get().school,
            )
            for p in projects[1::3]
        ]
    )
    ideas = ProjectIdea.objects.bulk_create(
        [
            ProjectIdea(author=viewer, title=f"Idea {i}", description="d")
            for i in range(rows)
        ]
    )
    IdeaReply.objects.bulk_create([IdeaReply(idea=i, teacher=others[0]) for i in ideas])
    # BASE + my projects + their members + their approvals + the pending invitations
    # (both ways, one query) + my ideas + their pending answers + "may I found?"
    # (profile, validated link) + my schools; then the panels of other apps.
    with django_assert_max_num_queries(BASE + 9 + OTHER_APPS_PANELS):
        response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "asks to join" in html
    assert "would like to work with you" in html
