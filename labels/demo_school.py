"""The demo world's School Label (used by `manage.py seed_demo`; safe to run twice).

A campaign open now, the professional development catalogue with the three School Label
courses, stage one run (the Cluj lyceum is selected and its teachers invited), a draft
application started by a teacher, and two schools that already hold the label of the
previous campaign (so the home page, school pages and statistics have something to show).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import DemoWorld
from labels.enums import (
    SCHOOL_LABEL_COURSES,
    PDKind,
    SchoolLabelSection,
    SchoolLabelStatus,
)
from labels.models import (
    PDActivity,
    PDParticipation,
    SchoolLabel,
    SchoolLabelApplication,
    SchoolLabelCampaign,
    SchoolLabelSectionAnswer,
)
from labels.services import school as services

_CATALOGUE = [
    (PDKind.SHORT_COURSE, SCHOOL_LABEL_COURSES[0], True),
    (PDKind.SHORT_COURSE, SCHOOL_LABEL_COURSES[1], True),
    (PDKind.SHORT_COURSE, SCHOOL_LABEL_COURSES[2], True),
    (PDKind.WEBINAR, "Online safety in the primary classroom", False),
    (PDKind.MOOC, "Project-based learning with eTwinning", False),
    (PDKind.PODCAST, "Teachers talk: inclusion across borders", False),
    (PDKind.ONLINE_WORKSHOP, "Designing a TwinSpace pupils love", False),
    (PDKind.WORKSHOP, "National eTwinning conference workshop", False),
    (PDKind.GROUP, "eTwinning Schools group", False),
    (PDKind.TEACHERS_ROOM, "Teachers' room: assessing collaboration", False),
]

_DRAFT = {
    SchoolLabelSection.ONLINE_SAFETY: {
        "policy": "yes",
        "description": "Our online safety policy was adopted by the school board in 2023. "
        "It covers pupils, staff and parents and is reviewed every year by the eTwinning team.",
        "evidence": "https://example.org/liceul-eminescu/online-safety-policy.pdf",
    },
    SchoolLabelSection.SHARED_LEADERSHIP: {
        "description": "The head and three teacher leaders meet monthly to plan eTwinning "
        "activities and mentor colleagues who are new to the platform.",
        "evidence": "Minutes of the eTwinning team meetings (2024-2026).",
        "plans": "Bring two more departments into the team and share the leadership of "
        "the school's action plan.",
    },
}

_MISSION = {
    SchoolLabelSection.ONLINE_SAFETY: "The school's online safety policy is public and reviewed every year.",
    SchoolLabelSection.SHARED_LEADERSHIP: "An eTwinning team led together by the head and teachers.",
    SchoolLabelSection.COLLABORATION: "Teachers plan projects together in a yearly action plan.",
    SchoolLabelSection.STUDENTS_AGENTS: "Pupil ambassadors present eTwinning to parents.",
    SchoolLabelSection.MODEL_SCHOOL: "Open days and mentoring for schools of the region.",
    SchoolLabelSection.INCLUSIVE_INNOVATIVE: "Mixed-ability teams and flexible learning spaces.",
}


def _school_year_name(today: datetime.date) -> tuple[str, int]:
    first = today.year if today.month >= 9 else today.year - 1
    return f"{first}-{first + 1}", first


def _catalogue(today: datetime.date) -> list[PDActivity]:
    activities = []
    for i, (kind, title, for_label) in enumerate(_CATALOGUE):
        starts = today - datetime.timedelta(days=200 - 15 * i)
        activity = PDActivity.objects.filter(title=title).first()
        if activity is None:
            activity = PDActivity.objects.create(
                kind=kind,
                title=title,
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=28),
                for_school_label=for_label,
                description="",
            )
        activities.append(activity)
    return activities


def _awarded_label(campaign, school, teacher) -> None:
    """A label of the previous campaign, built directly (its evaluation is history)."""
    application, created = SchoolLabelApplication.objects.get_or_create(
        campaign=campaign,
        school=school,
        defaults={"started_by": teacher, "status": SchoolLabelStatus.AWARDED},
    )
    if created:
        SchoolLabelSectionAnswer.objects.bulk_create(
            [
                SchoolLabelSectionAnswer(
                    application=application,
                    key=key,
                    policy="yes" if key == SchoolLabelSection.ONLINE_SAFETY else "",
                    description=text,
                    evidence="https://example.org/evidence",
                    plans=""
                    if key == SchoolLabelSection.ONLINE_SAFETY
                    else "Keep it growing.",
                    version=1,
                )
                for key, text in _MISSION.items()
            ]
        )
    valid_from, valid_until = services.label_validity(campaign)
    SchoolLabel.objects.get_or_create(
        application=application,
        defaults={
            "school": school,
            "campaign": campaign,
            "title": campaign.label_title,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )


def seed_school_label(world: DemoWorld) -> None:
    today = timezone.localdate()
    name, first = _school_year_name(today)
    campaign, _ = SchoolLabelCampaign.objects.get_or_create(
        name=name,
        defaults={
            "announced_on": today - datetime.timedelta(days=40),
            "opens_on": today - datetime.timedelta(days=3),
            "deadline": today + datetime.timedelta(days=60),
            "evaluation_ends_on": today + datetime.timedelta(days=120),
            # The demo's NQLs are granted today: the window runs to today.
            "nql_until": today,
        },
    )
    previous, _ = SchoolLabelCampaign.objects.get_or_create(
        name=f"{first - 1}-{first}",
        defaults={
            "announced_on": today - datetime.timedelta(days=420),
            "opens_on": today - datetime.timedelta(days=380),
            "deadline": today - datetime.timedelta(days=320),
            "evaluation_ends_on": today - datetime.timedelta(days=260),
        },
    )

    activities = _catalogue(today)
    t = world.teachers
    for username, activity in (
        ("ana.popescu", activities[0]),
        ("mihai.ionescu", activities[1]),
        ("elena.dumitru", activities[2]),
        ("elena.dumitru", activities[3]),
        ("ioana.marin", activities[4]),
    ):
        if username in t:
            PDParticipation.objects.get_or_create(
                activity=activity,
                teacher=t[username],
                defaults={"participated_on": activity.starts_on},
            )

    for school_name, username in (
        ("Istituto Comprensivo Leonardo da Vinci", "giulia.rossi"),
        ("Atatürk Anadolu Lisesi", "ayse.yilmaz"),
    ):
        if school_name in world.schools and username in t:
            _awarded_label(previous, world.schools[school_name], t[username])

    services.select_stage_one(campaign)

    school = world.schools.get("Liceul Teoretic Mihai Eminescu")
    teacher = t.get("mihai.ionescu")
    if (
        school is None
        or teacher is None
        or not services.school_is_selected(campaign, school)
    ):
        return
    application, _ = services.start_application(campaign, school, actor=teacher)
    for key, data in _DRAFT.items():
        section = application.sections.get(key=key)
        if section.version == 0:
            services.save_section(application, key, data, base_version=0, actor=teacher)
