"""R3, R3a, R5: the services that register schools and validate teachers' school links."""

import pytest
from django.core import mail
from django.db import IntegrityError

from accounts import services
from accounts.enums import HeadStatus, MembershipStatus, Role, SchoolLevel
from accounts.models import MembershipChange, School, SchoolMembership
from tests.factories.accounts import (
    SchoolFactory,
    TeacherProfileFactory,
    UserFactory,
    country,
    make_evaluator,
    make_teacher,
)

pytestmark = pytest.mark.django_db

S = MembershipStatus


def _new_teacher(**kwargs):
    user = UserFactory(**kwargs)
    TeacherProfileFactory(user=user)
    return user


def _register(name="Liceul Teoretic Mihai Eminescu", city="Cluj-Napoca", code="RO"):
    return services.register_school(
        name=name, country=country(code), city=city, level=SchoolLevel.UPPER_SECONDARY
    )


# --- R3: schools ---------------------------------------------------------------------


def test_school_registered_twice_in_another_spelling_is_one_school():
    first = _register()
    second = _register(name="  liceul teoretic MIHAI   Eminescu ", city="cluj napoca")
    assert first.created
    assert not second.created
    assert second.school == first.school
    assert School.objects.count() == 1


def test_same_name_in_another_city_or_country_is_another_school():
    a = _register()
    b = _register(city="Iași")
    c = _register(code="MD", city="Cluj-Napoca")
    assert len({a.school.pk, b.school.pk, c.school.pk}) == 3


def test_database_refuses_a_duplicate_that_skips_the_service():
    _register()
    with pytest.raises(IntegrityError):
        School.objects.create(
            name="LICEUL TEORETIC MIHAI EMINESCU",
            country=country("RO"),
            city="Cluj Napoca",
            level=SchoolLevel.PRIMARY,
        )


def test_register_school_trims_spaces_of_names():
    school = _register(name="  Școala   Gimnazială nr. 5 ", city=" Iași ").school
    assert school.name == "Școala Gimnazială nr. 5"
    assert school.city == "Iași"


def test_near_matches_find_a_similar_name_in_the_same_city():
    school = _register().school
    _register(name="Colegiul Național George Coșbuc")
    other_city = _register(city="Iași").school
    near = services.find_near_schools(
        country("RO"), "Cluj-Napoca", "Liceul Teoretic M. Eminescu"
    )
    assert near == [school]
    assert other_city not in near


def test_near_matches_find_a_name_contained_in_a_longer_one():
    school = _register(name="Școala Gimnazială Avram Iancu").school
    assert services.find_near_schools(country("RO"), "cluj napoca", "Avram Iancu") == [
        school
    ]


def test_near_matches_leave_out_unrelated_names():
    _register()
    assert (
        services.find_near_schools(
            country("RO"), "Cluj-Napoca", "Grădinița Rază de Soare"
        )
        == []
    )


def test_search_finds_schools_by_country_city_and_words_of_the_name():
    school = _register().school
    _register(name="Liceul Teoretic Lucian Blaga")
    _register(code="MD", city="Chișinău", name="Liceul Teoretic Mihai Eminescu")
    found = services.search_schools(
        country=country("RO"), city="cluj", query="eminescu"
    )
    assert list(found) == [school]
    assert services.search_schools(country=None, query="MIHAI eminescu").count() == 2


# --- R5: links and validation ------------------------------------------------------------


def test_new_link_waits_for_the_nso_when_the_school_has_no_head(
    django_capture_on_commit_callbacks,
):
    teacher = _new_teacher()
    school = SchoolFactory()
    with django_capture_on_commit_callbacks(execute=True):
        link = services.request_school_membership(teacher, school)
    assert link.status == S.PENDING
    assert link.changes.get().new == S.PENDING
    assert mail.outbox[-1].to == [teacher.email]
    assert "waiting for validation" in mail.outbox[-1].subject


def test_new_link_waits_for_the_head_first_when_the_school_has_a_confirmed_head(
    django_capture_on_commit_callbacks,
):
    school = SchoolFactory()
    head = make_teacher(school, head=True)
    teacher = _new_teacher()
    with django_capture_on_commit_callbacks(execute=True):
        link = services.request_school_membership(teacher, school)
    assert link.status == S.AWAITING_HEAD
    recipients = [m.to[0] for m in mail.outbox]
    assert teacher.email in recipients
    assert head.email in recipients


def test_head_confirmation_passes_the_link_to_the_nso_with_the_answer():
    school = SchoolFactory()
    head = make_teacher(school, head=True)
    link = services.request_school_membership(_new_teacher(), school)
    link = services.confirm_by_head(link, head=head, works_here=True)
    assert link.status == S.PENDING
    assert link.head_confirmed is True
    change = link.changes.filter(new=S.PENDING, old=S.AWAITING_HEAD).get()
    assert change.actor == head


def test_head_denial_also_reaches_the_nso_which_sees_the_no():
    school = SchoolFactory()
    head = make_teacher(school, head=True)
    link = services.request_school_membership(_new_teacher(), school)
    link = services.confirm_by_head(link, head=head, works_here=False)
    assert link.status == S.PENDING
    assert link.head_confirmed is False


def test_a_teacher_who_is_not_the_head_cannot_answer_for_the_school():
    school = SchoolFactory()
    make_teacher(school, head=True)
    colleague = make_teacher(school)
    link = services.request_school_membership(_new_teacher(), school)
    with pytest.raises(services.MembershipError):
        services.confirm_by_head(link, head=colleague, works_here=True)


def test_evaluator_validates_a_pending_link_and_the_teacher_is_told(
    django_capture_on_commit_callbacks,
):
    evaluator = make_evaluator("RO")
    teacher = _new_teacher()
    link = services.request_school_membership(teacher, SchoolFactory())
    with django_capture_on_commit_callbacks(execute=True):
        link = services.validate_membership(link, actor=evaluator)
    assert link.status == S.VALIDATED
    assert link.validated_by == evaluator
    assert link.validated_at is not None
    assert "validated" in mail.outbox[-1].subject
    assert teacher.has_perm("accounts.found_projects")


def test_evaluator_rejects_a_link_with_a_note_the_teacher_reads(
    django_capture_on_commit_callbacks,
):
    evaluator = make_evaluator("RO")
    link = services.request_school_membership(_new_teacher(), SchoolFactory())
    with django_capture_on_commit_callbacks(execute=True):
        link = services.reject_membership(
            link, actor=evaluator, note="Unknown at school"
        )
    assert link.status == S.REJECTED
    assert "Unknown at school" in mail.outbox[-1].body
    assert link.changes.filter(new=S.REJECTED, note="Unknown at school").exists()


def test_a_validated_link_cannot_be_validated_again():
    evaluator = make_evaluator("RO")
    link = services.request_school_membership(_new_teacher(), SchoolFactory())
    services.validate_membership(link, actor=evaluator)
    with pytest.raises(services.InvalidTransition):
        services.validate_membership(link, actor=evaluator)
    with pytest.raises(services.InvalidTransition):
        services.reject_membership(link, actor=evaluator)


def test_a_teacher_cannot_ask_twice_for_the_same_school():
    teacher = _new_teacher()
    school = SchoolFactory()
    services.request_school_membership(teacher, school)
    with pytest.raises(services.MembershipError):
        services.request_school_membership(teacher, school)


def test_moving_school_ends_the_old_link_and_the_new_one_waits_for_validation():
    old_school, new_school = SchoolFactory(), SchoolFactory()
    teacher = make_teacher(old_school)
    old = teacher.memberships.get()
    new = services.move_school(old, new_school, actor=teacher)
    old.refresh_from_db()
    assert old.status == S.ENDED
    assert old.ended_at is not None
    assert new.school == new_school
    assert new.status == S.PENDING
    assert new.is_main
    assert not teacher.has_perm("accounts.found_projects")
    # History is kept on the old link.
    assert old.changes.filter(old=S.VALIDATED, new=S.ENDED).exists()


def test_a_head_who_moves_gives_up_the_head_role_so_the_school_can_have_a_new_one():
    school = SchoolFactory()
    head = make_teacher(school, head=True)
    services.move_school(head.memberships.get(), SchoolFactory(), actor=head)
    assert services.school_head(school) is None
    successor = make_teacher(school, head=True)
    assert services.school_head(school).teacher == successor


def test_second_school_is_confirmed_on_its_own_and_is_not_the_main_one():
    teacher = make_teacher(SchoolFactory())
    second = services.add_second_school(teacher, SchoolFactory())
    assert second.is_main is False
    assert second.status == S.PENDING
    assert teacher.memberships.filter(is_main=True).count() == 1


def test_set_main_school_moves_the_main_flag():
    teacher = make_teacher(SchoolFactory())
    second = services.add_second_school(teacher, SchoolFactory())
    services.set_main_school(second, teacher=teacher)
    assert list(
        teacher.memberships.filter(is_main=True).values_list("pk", flat=True)
    ) == [second.pk]


# --- Head of school role -------------------------------------------------------------------


def test_head_claim_waits_for_the_nso_and_then_counts():
    evaluator = make_evaluator("RO")
    school = SchoolFactory()
    user = _new_teacher()
    user.profile.role = Role.HEAD
    user.profile.save()
    link = services.request_school_membership(user, school, claim_head=True)
    assert link.head_status == HeadStatus.CLAIMED
    assert services.school_head(school) is None
    services.confirm_head_role(link, actor=evaluator)
    assert services.school_head(school).teacher == user
    assert link.changes.filter(
        kind=MembershipChange.Kind.HEAD, new=HeadStatus.CONFIRMED
    ).exists()


def test_a_school_has_at_most_one_confirmed_head():
    evaluator = make_evaluator("RO")
    school = SchoolFactory()
    make_teacher(school, head=True)
    link = services.request_school_membership(_new_teacher(), school, claim_head=True)
    with pytest.raises(services.MembershipError, match="already has a confirmed head"):
        services.confirm_head_role(link, actor=evaluator)
    link.refresh_from_db()
    assert link.head_status == HeadStatus.CLAIMED


def test_declined_head_claim_leaves_the_teacher_link_alone():
    evaluator = make_evaluator("RO")
    link = services.request_school_membership(
        _new_teacher(), SchoolFactory(), claim_head=True
    )
    services.decline_head_role(link, actor=evaluator)
    link.refresh_from_db()
    assert link.head_status == HeadStatus.NONE
    assert link.status == S.PENDING


def test_evaluator_group_has_the_validation_permissions():
    group = services.ensure_evaluator_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_schoolmembership",
        "change_schoolmembership",
        "view_school",
    } <= codenames


def test_membership_rows_keep_their_order_of_events():
    teacher = _new_teacher()
    link = services.request_school_membership(teacher, SchoolFactory())
    services.validate_membership(link, actor=make_evaluator("RO"))
    assert list(
        SchoolMembership.objects.get(pk=link.pk)
        .changes.order_by("at", "pk")
        .values_list("old", "new")
    ) == [("", S.PENDING), (S.PENDING, S.VALIDATED)]


def test_the_teacher_is_told_in_their_own_language(django_capture_on_commit_callbacks):
    teacher = _new_teacher(language="ro")
    link = services.request_school_membership(
        teacher, SchoolFactory(name="Școala nr. 7")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_membership(link, actor=make_evaluator("RO"))
    assert mail.outbox[-1].subject == (
        "[eTwinning] Bun venit pe eTwinning: legătura dumneavoastră cu Școala nr. 7 "
        "este validată"
    )
