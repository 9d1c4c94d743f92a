"""Factories for people and schools."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.enums import HeadStatus, MembershipStatus, Role, SchoolLevel
from accounts.models import Country, School, SchoolMembership, TeacherProfile, User

PASSWORD = "Twinning-2026!"


def country(code: str = "RO") -> Country:
    """Countries are loaded by a migration: fetch, never create."""
    return Country.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherProfile

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER
    profession = "Teacher"
    subjects = factory.LazyFunction(lambda: ["mathematics"])
    age_groups = factory.LazyFunction(lambda: ["12-15"])
    languages = factory.LazyFunction(lambda: ["en"])
    interests = factory.LazyFunction(lambda: ["stem"])
    step = TeacherProfile.Step.DONE


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School number {n}")
    country = factory.LazyFunction(lambda: country("RO"))
    city = "Cluj-Napoca"
    address = "Strada Exemplu 1"
    level = SchoolLevel.LOWER_SECONDARY
    registered_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    teacher = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    status = MembershipStatus.VALIDATED
    is_main = True


def make_teacher(
    school: School | None = None,
    *,
    status: str = MembershipStatus.VALIDATED,
    role: str = Role.TEACHER,
    head: bool = False,
    **user_kwargs,
) -> User:
    """A registered teacher of `school` (a new Romanian school by default), validated unless told."""
    user = UserFactory(**user_kwargs)
    TeacherProfileFactory(user=user, role=Role.HEAD if head else role)
    MembershipFactory(
        teacher=user,
        school=school or SchoolFactory(),
        status=status,
        head_status=HeadStatus.CONFIRMED if head else HeadStatus.NONE,
    )
    return user


def make_evaluator(*codes: str, **user_kwargs) -> User:
    """An NSO evaluator with admin access to the given countries."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **user_kwargs)
    user.evaluator_countries.set(Country.objects.filter(code__in=codes or ("RO",)))
    group = Group.objects.filter(name="NSO evaluators").first()
    if group:
        user.groups.add(group)
    return user
