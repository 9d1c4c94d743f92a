"""The demo world's people and schools (used by `manage.py seed_demo`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.enums import HeadStatus, MembershipStatus, Role, SchoolLevel
from accounts.models import Country, School, SchoolMembership, TeacherProfile, User

DEMO_PASSWORD = "eTwinning-demo-2026"

DEMO_COUNTRIES = ["RO", "TR", "MD", "IT", "ES", "PL"]

# (username, first, last, country, school name, city, level, subjects, languages, role)
DEMO_TEACHERS = [
    (
        "ana.popescu",
        "Ana",
        "Popescu",
        "RO",
        "Liceul Teoretic Mihai Eminescu",
        "Cluj-Napoca",
        SchoolLevel.UPPER_SECONDARY,
        ["history", "literacy"],
        ["ro", "en", "fr"],
        Role.HEAD,
    ),
    (
        "mihai.ionescu",
        "Mihai",
        "Ionescu",
        "RO",
        "Liceul Teoretic Mihai Eminescu",
        "Cluj-Napoca",
        SchoolLevel.UPPER_SECONDARY,
        ["mathematics", "computing"],
        ["ro", "en"],
        Role.TEACHER,
    ),
    (
        "elena.dumitru",
        "Elena",
        "Dumitru",
        "RO",
        "Liceul Teoretic Mihai Eminescu",
        "Cluj-Napoca",
        SchoolLevel.UPPER_SECONDARY,
        ["biology", "environment"],
        ["ro", "en"],
        Role.TEACHER,
    ),
    (
        "ioana.marin",
        "Ioana",
        "Marin",
        "RO",
        "Școala Gimnazială nr. 1",
        "Iași",
        SchoolLevel.LOWER_SECONDARY,
        ["foreign_languages"],
        ["ro", "en", "de"],
        Role.TEACHER,
    ),
    (
        "ayse.yilmaz",
        "Ayşe",
        "Yılmaz",
        "TR",
        "Atatürk Anadolu Lisesi",
        "İzmir",
        SchoolLevel.UPPER_SECONDARY,
        ["foreign_languages", "history"],
        ["tr", "en"],
        Role.TEACHER,
    ),
    (
        "mehmet.kaya",
        "Mehmet",
        "Kaya",
        "TR",
        "Cumhuriyet İlkokulu",
        "Ankara",
        SchoolLevel.PRIMARY,
        ["primary_education"],
        ["tr", "en"],
        Role.TEACHER,
    ),
    (
        "natalia.rusu",
        "Natalia",
        "Rusu",
        "MD",
        "Liceul Teoretic Ion Creangă",
        "Chișinău",
        SchoolLevel.UPPER_SECONDARY,
        ["literacy", "citizenship"],
        ["ro", "en"],
        Role.TEACHER,
    ),
    (
        "giulia.rossi",
        "Giulia",
        "Rossi",
        "IT",
        "Istituto Comprensivo Leonardo da Vinci",
        "Bologna",
        SchoolLevel.LOWER_SECONDARY,
        ["science", "mathematics"],
        ["it", "en"],
        Role.TEACHER,
    ),
    (
        "lucia.garcia",
        "Lucía",
        "García",
        "ES",
        "IES Miguel de Cervantes",
        "Sevilla",
        SchoolLevel.UPPER_SECONDARY,
        ["art", "literacy"],
        ["es", "en", "fr"],
        Role.TEACHER,
    ),
    (
        "piotr.nowak",
        "Piotr",
        "Nowak",
        "PL",
        "Szkoła Podstawowa nr 12",
        "Kraków",
        SchoolLevel.PRIMARY,
        ["music", "primary_education"],
        ["pl", "en"],
        Role.TEACHER,
    ),
]

PENDING_TEACHERS = [
    (
        "radu.stan",
        "Radu",
        "Stan",
        "RO",
        "Liceul Teoretic Mihai Eminescu",
        "Cluj-Napoca",
    ),
    ("emre.demir", "Emre", "Demir", "TR", "Atatürk Anadolu Lisesi", "İzmir"),
]


@dataclass
class DemoWorld:
    teachers: dict[str, User] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    evaluators: dict[str, User] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (role, login, password)
    projects: dict = field(default_factory=dict)


def _user(username: str, first: str, last: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.etwinning.local",
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    # Mark the e-mail verified so demo accounts sign in at once (allauth's mandatory verification).
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _school(
    name: str,
    country: Country,
    city: str,
    level: str,
    world: DemoWorld,
    registered_years_ago: int,
) -> School:
    school = world.schools.get(name)
    if school is None:
        school, _ = School.objects.get_or_create(
            country=country,
            name=name,
            city=city,
            defaults={
                "level": level,
                "address": "",
                "website": "",
                "registered_at": timezone.now()
                - timedelta(days=365 * registered_years_ago),
            },
        )
        world.schools[name] = school
    return school


def _pending_link(user: User, school: School, *, claim_head: bool = False) -> None:
    """A link waiting for validation, made as the registration makes it (audit row and
    all); skipped when the user already has a link to the school (idempotent)."""
    from accounts.services import request_school_membership

    if SchoolMembership.objects.filter(teacher=user, school=school).exists():
        return
    request_school_membership(user, school, claim_head=claim_head)


def seed_accounts(world: DemoWorld) -> None:
    from accounts.services import ensure_evaluator_group

    group = ensure_evaluator_group()
    countries = {c.code: c for c in Country.objects.filter(code__in=DEMO_COUNTRIES)}
    for (
        username,
        first,
        last,
        code,
        school_name,
        city,
        level,
        subjects,
        languages,
        role,
    ) in DEMO_TEACHERS:
        user = _user(
            username, first, last, language="ro" if code in {"RO", "MD"} else "en"
        )
        TeacherProfile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "profession": "Teacher",
                "subjects": subjects,
                "age_groups": ["12-15", "16-19"]
                if level != SchoolLevel.PRIMARY
                else ["7-11"],
                "languages": languages,
                "interests": ["culture", "digital"],
                "step": TeacherProfile.Step.DONE,
            },
        )
        school = _school(
            school_name, countries[code], city, level, world, registered_years_ago=5
        )
        SchoolMembership.objects.get_or_create(
            teacher=user,
            school=school,
            defaults={
                "status": MembershipStatus.VALIDATED,
                "validated_at": timezone.now(),
                "head_status": HeadStatus.CONFIRMED
                if role == Role.HEAD
                else HeadStatus.NONE,
                "joined_at": timezone.now() - timedelta(days=900),
            },
        )
        world.teachers[username] = user
        world.accounts.append(
            (
                "head of school" if role == Role.HEAD else "teacher",
                username,
                DEMO_PASSWORD,
            )
        )

    for username, first, last, _code, school_name, _city in PENDING_TEACHERS:
        user = _user(username, first, last)
        TeacherProfile.objects.update_or_create(
            user=user,
            defaults={
                "role": Role.TEACHER,
                "profession": "Teacher of physics",
                "subjects": ["physics"],
                "age_groups": ["16-19"],
                "languages": ["en"],
                "step": TeacherProfile.Step.DONE,
            },
        )
        _pending_link(user, world.schools[school_name])
        world.teachers[username] = user
        world.accounts.append(("pending teacher", username, DEMO_PASSWORD))

    # A head of school who registered and waits for the NSO to confirm the role.
    user = _user("vasile.ciobanu", "Vasile", "Ciobanu", language="ro")
    TeacherProfile.objects.update_or_create(
        user=user,
        defaults={
            "role": Role.HEAD,
            "profession": "Director",
            "subjects": ["history"],
            "languages": ["ro", "en"],
            "step": TeacherProfile.Step.DONE,
        },
    )
    _pending_link(user, world.schools["Liceul Teoretic Ion Creangă"], claim_head=True)
    world.teachers["vasile.ciobanu"] = user
    world.accounts.append(
        ("head of school, waiting for the NSO", "vasile.ciobanu", DEMO_PASSWORD)
    )

    for code in DEMO_COUNTRIES:
        username = f"nso.{code.lower()}"
        user = _user(username, "NSO", countries[code].name_en, is_staff=True)
        user.evaluator_countries.add(countries[code])
        user.groups.add(group)
        world.evaluators[code] = user
        world.accounts.append(
            (f"NSO evaluator ({countries[code].name_en})", username, DEMO_PASSWORD)
        )

    admin = _user(
        "central.support", "Central", "Support", is_staff=True, is_superuser=True
    )
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    world.accounts.append(("central support staff", "central.support", DEMO_PASSWORD))
