"""The registration wizard (R1, R3), the school step's bad input, profile and school pages."""

import pytest
from django.urls import reverse

from accounts.enums import HeadStatus, MembershipStatus, Role, SchoolLevel
from accounts.models import School, SchoolMembership, TeacherProfile
from tests.factories.accounts import (
    SchoolFactory,
    TeacherProfileFactory,
    UserFactory,
    country,
    make_teacher,
)

pytestmark = pytest.mark.django_db

S = MembershipStatus
REGISTER = reverse("accounts:register")


@pytest.fixture
def newcomer(client):
    user = UserFactory(first_name="", last_name="")
    client.force_login(user)
    return user


def _at_school_step(user, role=Role.TEACHER):
    TeacherProfileFactory(user=user, role=role, step=TeacherProfile.Step.SCHOOL)


def _new_school(**overrides):
    data = {
        "step": "school",
        "action": "create",
        "new-name": "Școala Gimnazială Avram Iancu",
        "new-country": "RO",
        "new-city": "Turda",
        "new-address": "Strada Republicii 1",
        "new-level": SchoolLevel.LOWER_SECONDARY,
        "new-website": "scoala-avram-iancu.ro",
    }
    data.update(overrides)
    return data


# --- the wizard --------------------------------------------------------------------------


def test_wizard_starts_with_the_role_and_resumes_where_the_teacher_left(
    client, newcomer
):
    response = client.get(REGISTER)
    assert "accounts/register_role.html" in [t.name for t in response.templates]
    response = client.post(REGISTER, {"step": "role", "role": Role.TEACHER})
    assert response.status_code == 302
    # The teacher leaves and comes back later: the profile step waits for them.
    response = client.get(REGISTER)
    assert "accounts/register_profile.html" in [t.name for t in response.templates]


def test_wizard_does_not_skip_ahead(client, newcomer):
    response = client.get(REGISTER, {"step": "school"})
    assert "accounts/register_role.html" in [t.name for t in response.templates]


def test_profile_step_saves_the_r1_fields_and_moves_on(client, newcomer):
    TeacherProfileFactory(user=newcomer, step=TeacherProfile.Step.PROFILE, subjects=[])
    response = client.post(
        REGISTER,
        {
            "step": "profile",
            "first_name": "Ioana",
            "last_name": "Pop",
            "language": "ro",
            "profession": "Teacher of English",
            "experience": "some",
            "subjects": ["foreign_languages", "literacy"],
            "age_groups": ["12-15"],
            "interests": ["culture"],
            "languages": ["en", "ro"],
            "project_ideas": "Letters between pen friends",
        },
    )
    assert response.status_code == 302
    profile = TeacherProfile.objects.get(user=newcomer)
    assert profile.step == TeacherProfile.Step.SCHOOL
    assert profile.subjects == ["foreign_languages", "literacy"]
    assert profile.languages == ["en", "ro"]
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Ioana Pop"
    assert newcomer.language == "ro"


def test_profile_step_with_bad_input_says_why_and_keeps_what_was_typed(
    client, newcomer
):
    TeacherProfileFactory(user=newcomer, step=TeacherProfile.Step.PROFILE)
    response = client.post(
        REGISTER,
        {
            "step": "profile",
            "first_name": "",
            "last_name": "Pop",
            "language": "en",
            "profession": "x" * 121,
            "experience": "none",
            "subjects": ["history", "not-a-subject"],
            "languages": [],
            "project_ideas": "My idea about rivers",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert "at most 120 characters" in body
    assert "Choose at least one working language." in body
    assert "not-a-subject is not one of the available choices" in body
    assert "My idea about rivers" in body
    assert 'value="Pop"' in body
    assert TeacherProfile.objects.get(user=newcomer).step == TeacherProfile.Step.PROFILE


def test_teacher_registers_a_new_school_and_waits_for_validation(client, newcomer):
    _at_school_step(newcomer)
    response = client.post(REGISTER, _new_school())
    assert response.status_code == 302
    school = School.objects.get()
    assert school.website == "https://scoala-avram-iancu.ro"
    assert school.registered_by == newcomer
    link = SchoolMembership.objects.get(teacher=newcomer)
    assert link.school == school
    assert link.status == S.PENDING
    assert TeacherProfile.objects.get(user=newcomer).step == TeacherProfile.Step.DONE
    page = client.get(response.url)
    assert "waiting for validation" in page.content.decode()


def test_teacher_picks_an_already_registered_school(client, newcomer):
    _at_school_step(newcomer)
    school = SchoolFactory(name="Liceul Teoretic Mihai Eminescu")
    found = client.get(
        REGISTER, {"step": "school", "search": "1", "country": "RO", "q": "eminescu"}
    )
    assert "Liceul Teoretic Mihai Eminescu" in found.content.decode()
    response = client.post(
        REGISTER, {"step": "school", "action": "pick", "school": school.pk}
    )
    assert response.status_code == 302
    assert SchoolMembership.objects.get(teacher=newcomer).school == school


def test_school_search_answers_htmx_with_the_results_only(client, newcomer):
    _at_school_step(newcomer)
    SchoolFactory(name="Liceul Teoretic Mihai Eminescu")
    response = client.get(
        REGISTER,
        {"step": "school", "search": "1", "q": "mihai"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.strip().startswith('<div id="school-results"')
    assert "Liceul Teoretic Mihai Eminescu" in body


def test_duplicate_school_in_another_spelling_is_refused_and_the_existing_one_offered(
    client, newcomer
):
    _at_school_step(newcomer)
    existing = SchoolFactory(name="Liceul Teoretic Mihai Eminescu", city="Cluj-Napoca")
    response = client.post(
        REGISTER,
        _new_school(
            **{"new-name": "LICEUL teoretic mihai EMINESCU", "new-city": "cluj napoca"}
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This school is already registered as" in body
    assert f'name="school" value="{existing.pk}"' in body  # "Yes, this is my school"
    assert 'value="LICEUL teoretic mihai EMINESCU"' in body
    assert School.objects.count() == 1
    assert not SchoolMembership.objects.filter(teacher=newcomer).exists()


def test_unknown_country_code_is_refused_clearly_and_nothing_typed_is_lost(
    client, newcomer
):
    _at_school_step(newcomer)
    response = client.post(REGISTER, _new_school(**{"new-country": "XX"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "“XX” is not the code of an eTwinning country" in body
    assert 'value="Școala Gimnazială Avram Iancu"' in body
    assert 'value="Strada Republicii 1"' in body
    assert not School.objects.exists()


def test_unknown_country_code_in_the_search_is_refused_clearly(client, newcomer):
    _at_school_step(newcomer)
    response = client.get(REGISTER, {"step": "school", "search": "1", "country": "ZZ"})
    assert "“ZZ” is not the code of an eTwinning country" in response.content.decode()


def test_empty_and_overlong_school_fields_are_refused_clearly(client, newcomer):
    _at_school_step(newcomer)
    response = client.post(
        REGISTER,
        _new_school(**{"new-name": "   ", "new-city": "C" * 101, "new-level": ""}),
    )
    body = response.content.decode()
    assert "Enter the school&#x27;s name." in body
    assert "Ensure this value has at most 100 characters (it has 101)." in body
    assert "Choose the school&#x27;s level or type." in body
    assert 'value="Strada Republicii 1"' in body
    assert not School.objects.exists()


def test_near_matches_are_offered_before_a_new_school_is_registered(client, newcomer):
    _at_school_step(newcomer)
    near = SchoolFactory(name="Liceul Teoretic Mihai Eminescu", city="Cluj-Napoca")
    data = _new_school(
        **{"new-name": "Liceul Teoretic M. Eminescu", "new-city": "Cluj-Napoca"}
    )
    response = client.post(REGISTER, data)
    body = response.content.decode()
    assert "Is this your school?" in body
    assert f'name="school" value="{near.pk}"' in body
    assert School.objects.count() == 1
    # The teacher says none of them is theirs: the school is registered.
    response = client.post(REGISTER, {**data, "new-confirm_new": "on"})
    assert response.status_code == 302
    assert School.objects.count() == 2


def test_head_of_school_claims_the_role_when_choosing_the_school(client, newcomer):
    _at_school_step(newcomer, role=Role.HEAD)
    client.post(REGISTER, _new_school())
    link = SchoolMembership.objects.get(teacher=newcomer)
    assert link.head_status == HeadStatus.CLAIMED


def test_inspector_may_finish_without_a_school_but_a_teacher_may_not(client, newcomer):
    _at_school_step(newcomer, role=Role.INSPECTOR)
    client.post(REGISTER, {"step": "school", "action": "skip"})
    assert TeacherProfile.objects.get(user=newcomer).step == TeacherProfile.Step.DONE

    teacher = UserFactory()
    _at_school_step(teacher)
    client.force_login(teacher)
    client.post(REGISTER, {"step": "school", "action": "skip"})
    assert TeacherProfile.objects.get(user=teacher).step == TeacherProfile.Step.SCHOOL


def test_pending_teacher_sees_the_banner(client):
    teacher = make_teacher(status=S.PENDING)
    client.force_login(teacher)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "waiting for validation by your National Support Organisation" in body


# --- head of school (R5) -------------------------------------------------------------------


def test_head_confirms_a_teacher_on_the_portal(client):
    school = SchoolFactory()
    head = make_teacher(school, head=True)
    waiting = make_teacher(school, status=S.AWAITING_HEAD, first_name="Radu")
    client.force_login(head)
    page = client.get(reverse("accounts:head_requests"))
    assert "Radu" in page.content.decode()
    link = waiting.memberships.get()
    client.post(
        reverse("accounts:head_requests"), {"membership": link.pk, "answer": "yes"}
    )
    link.refresh_from_db()
    assert link.status == S.PENDING
    assert link.head_confirmed is True


def test_a_colleague_cannot_answer_as_head(client):
    school = SchoolFactory()
    make_teacher(school, head=True)
    colleague = make_teacher(school)
    link = make_teacher(school, status=S.AWAITING_HEAD).memberships.get()
    client.force_login(colleague)
    response = client.post(
        reverse("accounts:head_requests"), {"membership": link.pk, "answer": "yes"}
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.status == S.AWAITING_HEAD


# --- profile, second school, moving -------------------------------------------------------


def test_profile_edit_keeps_typed_values_on_error(client):
    teacher = make_teacher()
    client.force_login(teacher)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "first_name": "Ana",
            "last_name": "",
            "language": "en",
            "experience": "none",
            "languages": ["en"],
            "project_ideas": "Robots",
        },
    )
    assert response.status_code == 200
    assert "Robots" in response.content.decode()


def test_teacher_adds_a_second_school(client):
    teacher = make_teacher()
    other = SchoolFactory(name="Colegiul Tehnic Unirea")
    client.force_login(teacher)
    response = client.post(
        reverse("accounts:school_add"), {"action": "pick", "school": other.pk}
    )
    assert response.status_code == 302
    second = teacher.memberships.get(school=other)
    assert second.status == S.PENDING
    assert second.is_main is False


def test_school_search_shows_the_teachers_own_school_as_theirs_not_as_a_choice(client):
    own = SchoolFactory(name="Liceul Teoretic Lucian Blaga")
    other = SchoolFactory(name="Liceul Teoretic Avram Iancu", country=own.country)
    teacher = make_teacher(own)
    client.force_login(teacher)

    page = client.get(
        reverse("accounts:school_add"),
        {"search": "1", "country": own.country.code, "q": "Liceul Teoretic"},
    ).content.decode()

    assert "Lucian Blaga" in page
    assert "Avram Iancu" in page
    assert page.count("Already linked to you") == 1
    assert f'name="school" value="{other.pk}"' in page
    assert f'name="school" value="{own.pk}"' not in page


def test_teacher_moves_school_and_is_validated_again(client):
    teacher = make_teacher()
    old = teacher.memberships.get()
    other = SchoolFactory()
    client.force_login(teacher)
    client.post(
        reverse("accounts:school_move", args=[old.pk]),
        {"action": "pick", "school": other.pk},
    )
    old.refresh_from_db()
    assert old.status == S.ENDED
    assert teacher.memberships.get(school=other).status == S.PENDING
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Earlier schools" in page


def test_teacher_cannot_move_someone_elses_link(client):
    other_link = make_teacher().memberships.get()
    client.force_login(make_teacher())
    response = client.get(reverse("accounts:school_move", args=[other_link.pk]))
    assert response.status_code == 404


# --- the public school page ------------------------------------------------------------------


def test_school_page_lists_validated_teachers_only_and_pages_them(client):
    school = SchoolFactory(country=country("IT"), city="Bologna")
    make_teacher(school, last_name="Aaavalidated")
    make_teacher(school, status=S.PENDING, last_name="Zzzpending")
    body = client.get(reverse("accounts:school", args=[school.pk])).content.decode()
    assert "Aaavalidated" in body
    assert "Zzzpending" not in body
    for _ in range(25):
        make_teacher(school)
    page2 = client.get(reverse("accounts:school", args=[school.pk]), {"page": 2})
    assert len(page2.context["page"].object_list) == 6


def test_school_page_queries_do_not_grow_with_teachers(
    client, django_assert_max_num_queries
):
    school = SchoolFactory()
    viewer = make_teacher(school)
    client.force_login(viewer)

    def load():
        # 1 session, 2 user, 3 school + country, 4 count for the pager, 5 the page of
        # teachers joined with user and profile, 6 my link to the school, 7 the
        # navigation's school links; then the panels other apps add to the "school"
        # slot (projects, labels: a few queries each, none per teacher).
        with django_assert_max_num_queries(12):
            assert (
                client.get(reverse("accounts:school", args=[school.pk])).status_code
                == 200
            )

    for _ in range(9):
        make_teacher(school)
    load()
    for _ in range(190):
        make_teacher(school)
    load()


def test_head_requests_queries_do_not_grow_with_waiting_teachers(
    client, django_assert_max_num_queries
):
    school = SchoolFactory()
    head = make_teacher(school, head=True)
    client.force_login(head)

    def load():
        # 1 session, 2 user, 3 the head's schools, 4 waiting links joined with teacher
        # and profile, 5 recent answers joined with teacher and school, 6 the
        # navigation's school links.
        with django_assert_max_num_queries(6):
            assert client.get(reverse("accounts:head_requests")).status_code == 200

    for _ in range(10):
        make_teacher(school, status=S.AWAITING_HEAD)
    load()
    for _ in range(190):
        make_teacher(school, status=S.AWAITING_HEAD)
    load()


def test_profile_page_queries_do_not_grow_with_history(
    client, django_assert_max_num_queries
):
    from accounts import services

    teacher = make_teacher()
    client.force_login(teacher)

    def load():
        # 1 session, 2 user, 3 the links joined with school and country, 4 their
        # history rows with actors, 5 the profile, 6 the navigation's links; then the
        # panels other apps add to the "profile" slot (none per school link).
        with django_assert_max_num_queries(10):
            assert client.get(reverse("accounts:profile")).status_code == 200

    for _ in range(3):
        services.add_second_school(teacher, SchoolFactory())
    load()
    for _ in range(30):
        services.add_second_school(teacher, SchoolFactory())
    load()
