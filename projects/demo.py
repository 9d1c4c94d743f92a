"""The demo world's projects (used by `manage.py seed_demo`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.demo import DemoWorld
from accounts.models import Country
from projects import search
from projects.enums import (
    ApprovalStatus,
    IdeaReplyStatus,
    InvitationKind,
    InvitationStatus,
    MemberRole,
    ProjectKind,
    ProjectStatus,
)
from projects.models import (
    IdeaReply,
    Invitation,
    Project,
    ProjectApproval,
    ProjectIdea,
    ProjectMember,
    ProjectStatusChange,
)

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
    seed_workflow(world)


# (author, title, description, subjects, age groups, languages)
DEMO_IDEAS = [
    (
        "natalia.rusu",
        "Grandparents' recipes",
        "Pupils interview their grandparents about traditional recipes, cook one at home and "
        "share a video cookbook with a partner class. Looking for a school in the EU, any "
        "country, pupils aged 10 to 14.",
        ["foreign_languages", "citizenship"],
        ["7-11", "12-15"],
        ["en", "ro"],
    ),
    (
        "lucia.garcia",
        "Coding the weather",
        "Micro:bit weather stations in two schools, data compared every week in the "
        "TwinSpace. We need a partner with some coding experience.",
        ["computing", "science"],
        ["12-15"],
        ["en", "es"],
    ),
    (
        "mehmet.kaya",
        "Fairy tales without borders",
        "Young pupils illustrate a fairy tale of their country and swap the drawings by "
        "post and online.",
        ["art", "primary_education"],
        ["4-6", "7-11"],
        ["en", "tr"],
    ),
]


def _main_school(user):
    return user.memberships.get(is_main=True).school


def seed_workflow(world: DemoWorld) -> None:
    """Projects in every state a teacher or evaluator meets: proposed with a pending
    co-founder invitation, awaiting NSO approval, a pending partner invitation and a
    join request, plus ideas with an answer. Idempotent: keyed on titles and pairs."""
    t = world.teachers
    # A proposal whose co-founder has not answered yet.
    proposal, created = Project.objects.get_or_create(
        title="Kitchen Chemistry",
        defaults={
            "description": "Simple, safe experiments with things from the kitchen, filmed "
            "by pupils and explained in English.",
            "objectives": "Scientific method, English vocabulary, video skills.",
            "subjects": ["chemistry", "science"],
            "languages": ["en"],
            "age_min": 11,
            "age_max": 14,
            "planned_start": date.today() + timedelta(days=30),
            "planned_end": date.today() + timedelta(days=240),
            "status": ProjectStatus.PROPOSED,
            "created_by": t["mehmet.kaya"],
        },
    )
    if created:
        ProjectMember.objects.create(
            project=proposal,
            teacher=t["mehmet.kaya"],
            school=_main_school(t["mehmet.kaya"]),
            role=MemberRole.FOUNDER,
        )
        ProjectStatusChange.objects.create(
            project=proposal, old="", new=ProjectStatus.PROPOSED, actor=t["mehmet.kaya"]
        )
        Invitation.objects.create(
            project=proposal,
            kind=InvitationKind.COFOUNDER,
            teacher=t["natalia.rusu"],
            sent_by=t["mehmet.kaya"],
            message="Your pupils' science fair was great: shall we do this together?",
        )
    world.projects[proposal.title] = proposal

    # A founded European project waiting for the Italian and Romanian NSOs.
    waiting, created = Project.objects.get_or_create(
        title="Voices of the Danube and the Po",
        defaults={
            "description": "Pupils record the stories of people living along two great "
            "rivers and build a shared sound map.",
            "objectives": "Listening, interviewing, geography, English.",
            "subjects": ["geography", "media"],
            "languages": ["en", "it", "ro"],
            "age_min": 14,
            "age_max": 18,
            "planned_start": date.today() + timedelta(days=14),
            "planned_end": date.today() + timedelta(days=200),
            "kind": ProjectKind.EUROPEAN,
            "status": ProjectStatus.AWAITING_APPROVAL,
            "created_by": t["giulia.rossi"],
            "founded_at": timezone.now() - timedelta(days=2),
        },
    )
    if created:
        for username in ("giulia.rossi", "radu.stan"):
            ProjectMember.objects.create(
                project=waiting,
                teacher=t[username],
                school=_main_school(t[username]),
                role=MemberRole.FOUNDER,
            )
        ProjectStatusChange.objects.create(
            project=waiting, old="", new=ProjectStatus.PROPOSED, actor=t["giulia.rossi"]
        )
        ProjectStatusChange.objects.create(
            project=waiting,
            old=ProjectStatus.PROPOSED,
            new=ProjectStatus.AWAITING_APPROVAL,
            actor=t["radu.stan"],
        )
        for code in ("IT", "RO"):
            ProjectApproval.objects.create(
                project=waiting,
                country=Country.objects.get(code=code),
                status=ApprovalStatus.PENDING,
            )
    world.projects[waiting.title] = waiting

    # A partner invitation and a join request, both waiting.
    bridges = world.projects.get("Bridges of Stories")
    if bridges is not None:
        Invitation.objects.get_or_create(
            project=bridges,
            teacher=t["piotr.nowak"],
            status=InvitationStatus.PENDING,
            defaults={
                "kind": InvitationKind.PARTNER,
                "sent_by": t["ana.popescu"],
                "message": "Would your pupils add Polish legends to our book?",
            },
        )
    climate = world.projects.get("Climate Detectives")
    if climate is not None:
        Invitation.objects.get_or_create(
            project=climate,
            teacher=t["lucia.garcia"],
            status=InvitationStatus.PENDING,
            defaults={
                "kind": InvitationKind.REQUEST,
                "sent_by": t["lucia.garcia"],
                "school": _main_school(t["lucia.garcia"]),
                "message": "We measure air quality too and would love to compare!",
            },
        )

    for author, title, description, subjects, ages, languages in DEMO_IDEAS:
        ProjectIdea.objects.get_or_create(
            author=t[author],
            title=title,
            defaults={
                "description": description,
                "subjects": subjects,
                "age_groups": ages,
                "languages": languages,
            },
        )
    recipes = ProjectIdea.objects.get(title="Grandparents' recipes")
    IdeaReply.objects.get_or_create(
        idea=recipes,
        teacher=t["ioana.marin"],
        defaults={
            "message": "My class would love this, we have many village grandparents!",
            "status": IdeaReplyStatus.PENDING,
        },
    )

    # The partner search lists every demo teacher at once (not only after commit).
    for user in world.teachers.values():
        search.sync_teacher(user.pk)
