"""Factories for projects."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import User
from projects.enums import MemberRole, ProjectKind, ProjectStatus
from projects.models import Project, ProjectMember


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}: Our common heritage")
    description = "Pupils compare the stories of their towns."
    objectives = "Collaboration, languages, digital skills."
    subjects = factory.LazyFunction(lambda: ["history"])
    languages = factory.LazyFunction(lambda: ["en"])
    created_by = factory.SubFactory("tests.factories.accounts.UserFactory")


def make_founded_project(
    founder_a: User, founder_b: User, *, status: str = ProjectStatus.ACTIVE, **kwargs
) -> Project:
    """A project founded by two teachers, its kind computed from their main schools (R8)."""
    school_a = founder_a.memberships.get(is_main=True).school
    school_b = founder_b.memberships.get(is_main=True).school
    kind = (
        ProjectKind.EUROPEAN
        if school_a.country_id != school_b.country_id
        else ProjectKind.NATIONAL
    )
    project = ProjectFactory(
        created_by=founder_a,
        kind=kind,
        status=status,
        founded_at=timezone.now(),
        **kwargs,
    )
    ProjectMember.objects.create(
        project=project, teacher=founder_a, school=school_a, role=MemberRole.FOUNDER
    )
    ProjectMember.objects.create(
        project=project, teacher=founder_b, school=school_b, role=MemberRole.FOUNDER
    )
    return project
