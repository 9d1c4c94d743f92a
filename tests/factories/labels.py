"""Factories for the labels app.

School Label part below (campaigns, professional development, awarded NQLs for stage one);
the Quality Label part may be added in its own section.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import School, User
from labels.enums import NQLStatus, PDKind
from labels.models import (
    PDActivity,
    PDParticipation,
    QualityLabelApplication,
    SchoolLabelCampaign,
)
from labels.models.school import local_midnight
from projects.enums import MemberRole, ProjectKind, ProjectStatus
from projects.models import Project, ProjectMember
from tests.factories.accounts import SchoolFactory, make_teacher
from tests.factories.projects import ProjectFactory

# --- eTwinning School Label ----------------------------------------------------


def make_campaign(
    opens_on: datetime.date | None = None, name: str = "2025-2026", **kwargs
) -> SchoolLabelCampaign:
    """A campaign open today by default (opened a week ago, deadline in two months)."""
    today = timezone.localdate()
    opens_on = opens_on or today - datetime.timedelta(days=7)
    return SchoolLabelCampaign.objects.create(
        name=name,
        announced_on=kwargs.pop("announced_on", opens_on - datetime.timedelta(days=30)),
        opens_on=opens_on,
        deadline=kwargs.pop("deadline", opens_on + datetime.timedelta(days=60)),
        evaluation_ends_on=kwargs.pop(
            "evaluation_ends_on", opens_on + datetime.timedelta(days=120)
        ),
        **kwargs,
    )


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """An aware datetime on `day` in the portal's time zone."""
    return local_midnight(day) + datetime.timedelta(hours=hour)


def make_pd(
    teacher: User, on: datetime.date, title: str = "Collaboration in Practice"
) -> PDParticipation:
    activity, _ = PDActivity.objects.get_or_create(
        title=title,
        starts_on=on,
        defaults={"kind": PDKind.SHORT_COURSE, "for_school_label": True},
    )
    return PDParticipation.objects.create(
        activity=activity, teacher=teacher, participated_on=on
    )


def make_nql_project(
    teacher: User,
    school: School,
    *,
    decided_at: datetime.datetime,
    kind: str = ProjectKind.EUROPEAN,
    status: str = NQLStatus.AWARDED,
    joined_at: datetime.datetime | None = None,
) -> Project:
    """A project of `kind` in which `teacher` represents `school`, with an NQL decided at `decided_at`."""
    project = ProjectFactory(
        created_by=teacher,
        kind=kind,
        status=ProjectStatus.CLOSED,
        founded_at=decided_at - datetime.timedelta(days=200),
    )
    ProjectMember.objects.create(
        project=project,
        teacher=teacher,
        school=school,
        role=MemberRole.FOUNDER,
        joined_at=joined_at or decided_at - datetime.timedelta(days=200),
    )
    QualityLabelApplication.objects.create(
        project=project,
        teacher=teacher,
        school=school,
        status=status,
        school_year=decided_at.year - 1,
        decided_at=decided_at,
    )
    return project


def make_selectable_school(
    campaign: SchoolLabelCampaign,
    *,
    teachers: int = 3,
    with_head: bool = True,
    **school_kwargs,
) -> tuple[School, list[User]]:
    """A school meeting all three stage-one criteria of `campaign` (registered four years
    before, `teachers` active teachers, the first of them the head if `with_head`, one
    European NQL a month before the opening)."""
    school = SchoolFactory(
        registered_at=at(campaign.opens_on - datetime.timedelta(days=4 * 365)),
        **school_kwargs,
    )
    people = [
        make_teacher(school, head=(with_head and i == 0)) for i in range(teachers)
    ]
    involved = campaign.opens_on - datetime.timedelta(days=100)
    for person in people:
        make_pd(person, involved)
    make_nql_project(
        people[0],
        school,
        decided_at=at(campaign.opens_on - datetime.timedelta(days=30)),
    )
    return school, people


def ensure_countries() -> None:
    """Reload the 46 countries when a transactional test before this one flushed them
    (they come from a data migration, which a flush does not replay)."""
    from accounts.countries import COUNTRIES
    from accounts.models import Country

    if Country.objects.exists():
        return
    Country.objects.bulk_create(
        [
            Country(code=code, name_en=str(name), is_plus=is_plus)
            for code, name, is_plus, _weight in COUNTRIES
        ]
    )
