"""The demo world's projects (used by `manage.py seed_demo`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from projects.enums import MemberRole, ProjectKind, ProjectStatus
from projects.models import Project, ProjectMember

# (title, founder A, founder B, description, subjects, languages)
DEMO_PROJECTS = [
    (
        "Bridges of Stories",
        "ana.popescu",
        "ayse.yilmaz",
        "Pupils in Cluj and İzmir collect legends of their towns and retell them as a shared digital book.",
        ["history", "literacy"],
        ["en"],
    ),
    (
        "Climate Detectives",
        "elena.dumitru",
        "giulia.rossi",
        "Two classes measure air quality around their schools and compare the results online.",
        ["biology", "environment"],
        ["en"],
    ),
    (
        "Maths Around Us",
        "mihai.ionescu",
        "ioana.marin",
        "A national project: geometry hunts in Cluj and Iași, shared in one gallery.",
        ["mathematics"],
        ["ro"],
    ),
    (
        "Songs Without Borders",
        "piotr.nowak",
        "lucia.garcia",
        "Primary pupils learn each other's songs and record a joint concert.",
        ["music"],
        ["en"],
    ),
]


def seed_projects(world: DemoWorld) -> None:
    for title, a, b, description, subjects, languages in DEMO_PROJECTS:
        founder_a, founder_b = world.teachers[a], world.teachers[b]
        school_a = founder_a.memberships.get(is_main=True).school
        school_b = founder_b.memberships.get(is_main=True).school
        kind = (
            ProjectKind.EUROPEAN
            if school_a.country_id != school_b.country_id
            else ProjectKind.NATIONAL
        )
        project, created = Project.objects.get_or_create(
            title=title,
            defaults={
                "description": description,
                "objectives": "Collaboration between pupils, language skills, digital skills.",
                "subjects": subjects,
                "languages": languages,
                "age_min": 12,
                "age_max": 15,
                "planned_start": date.today() - timedelta(days=300),
                "planned_end": date.today() + timedelta(days=60),
                "kind": kind,
                "status": ProjectStatus.ACTIVE,
                "created_by": founder_a,
                "founded_at": timezone.now() - timedelta(days=300),
            },
        )
        if created:
            ProjectMember.objects.create(
                project=project,
                teacher=founder_a,
                school=school_a,
                role=MemberRole.FOUNDER,
            )
            ProjectMember.objects.create(
                project=project,
                teacher=founder_b,
                school=school_b,
                role=MemberRole.FOUNDER,
            )
        world.projects[title] = project
