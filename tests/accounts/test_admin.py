"""R5 and the actors table: an NSO evaluator sees and acts on their own country only."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.enums import HeadStatus, MembershipStatus
from accounts.models import SchoolMembership
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
CHANGELIST = "admin:accounts_schoolmembership_changelist"


@pytest.fixture
def world():
    services.ensure_evaluator_group()
    ro_school = SchoolFactory(name="Liceul Teoretic Mihai Eminescu")
    tr_school = SchoolFactory(
        name="Atatürk Anadolu Lisesi", country=country("TR"), city="İzmir"
    )
    ro_pending = make_teacher(ro_school, status=S.PENDING, last_name="Romanescu")
    tr_pending = make_teacher(tr_school, status=S.PENDING, last_name="Yilmazoglu")
    return {
        "ro": make_evaluator("RO"),
        "ro_link": ro_pending.memberships.get(),
        "tr_link": tr_pending.memberships.get(),
    }


def _ids(response):
    return {obj.pk for obj in response.context["cl"].result_list}


def test_romanian_evaluator_lists_romanian_pending_teachers_only(client, world):
    client.force_login(world["ro"])
    response = client.get(reverse(CHANGELIST), {"status__exact": S.PENDING})
    assert response.status_code == 200
    assert _ids(response) == {world["ro_link"].pk}
    assert b"Yilmazoglu" not in response.content


def test_romanian_evaluator_searching_a_turkish_teacher_finds_nothing(client, world):
    client.force_login(world["ro"])
    response = client.get(reverse(CHANGELIST), {"q": "Yilmazoglu"})
    assert _ids(response) == set()
    response = client.get(reverse(CHANGELIST), {"q": "Romanescu"})
    assert _ids(response) == {world["ro_link"].pk}


def test_romanian_evaluator_cannot_filter_to_turkey(client, world):
    client.force_login(world["ro"])
    response = client.get(reverse(CHANGELIST), {"country": "TR"})
    assert _ids(response) == set()
    assert "Turkey" not in response.content.decode()


def test_romanian_evaluator_gets_404_on_a_turkish_link(client, world):
    client.force_login(world["ro"])
    pk = world["tr_link"].pk
    change = reverse("admin:accounts_schoolmembership_change", args=[pk])
    assert client.get(change).status_code == 404
    decide = reverse("admin:accounts_schoolmembership_decide", args=[pk])
    assert client.post(decide, {"decision": "validate"}).status_code == 404
    world["tr_link"].refresh_from_db()
    assert world["tr_link"].status == S.PENDING


def test_romanian_evaluator_bulk_action_leaves_turkish_links_alone(client, world):
    client.force_login(world["ro"])
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "validate_selected",
            "_selected_action": [world["ro_link"].pk, world["tr_link"].pk],
        },
    )
    assert response.status_code == 302
    world["ro_link"].refresh_from_db()
    world["tr_link"].refresh_from_db()
    assert world["ro_link"].status == S.VALIDATED
    assert world["tr_link"].status == S.PENDING


def test_romanian_evaluator_does_not_see_turkish_schools_or_profiles(client, world):
    client.force_login(world["ro"])
    schools = client.get(reverse("admin:accounts_school_changelist"), {"q": "Anadolu"})
    assert list(schools.context["cl"].result_list) == []
    tr_school = world["tr_link"].school
    assert (
        client.get(
            reverse("admin:accounts_school_change", args=[tr_school.pk])
        ).status_code
        == 404
    )
    profiles = client.get(reverse("admin:accounts_teacherprofile_changelist"))
    names = {p.user.last_name for p in profiles.context["cl"].result_list}
    assert names == {"Romanescu"}


def test_evaluator_validates_with_the_button_and_the_teacher_is_mailed(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world["ro"])
    link = world["ro_link"]
    change = reverse("admin:accounts_schoolmembership_change", args=[link.pk])
    page = client.get(change)
    assert b"Validate" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_schoolmembership_decide", args=[link.pk]),
            {"decision": "validate", "note": "Welcome"},
        )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == S.VALIDATED
    assert link.validated_by == world["ro"]
    assert mailoutbox[-1].to == [link.teacher.email]


def test_evaluator_rejects_in_bulk(client, world):
    client.force_login(world["ro"])
    client.post(
        reverse(CHANGELIST),
        {"action": "reject_selected", "_selected_action": [world["ro_link"].pk]},
    )
    world["ro_link"].refresh_from_db()
    assert world["ro_link"].status == S.REJECTED


def test_evaluator_sees_the_heads_answer_in_the_list(client, world):
    school = world["ro_link"].school
    head = make_teacher(school, head=True)
    newcomer = UserFactory(last_name="Nouveau")
    TeacherProfileFactory(user=newcomer)
    link = services.request_school_membership(newcomer, school)
    services.confirm_by_head(link, head=head, works_here=False)
    client.force_login(world["ro"])
    response = client.get(reverse(CHANGELIST), {"q": "Nouveau"})
    assert "does NOT work at the school" in response.content.decode()
    response = client.get(reverse(CHANGELIST), {"head_confirmed__exact": "0"})
    assert _ids(response) == {link.pk}


def test_evaluator_confirms_a_head_claim_in_bulk(client, world):
    newcomer = UserFactory()
    TeacherProfileFactory(user=newcomer)
    link = services.request_school_membership(
        newcomer, world["ro_link"].school, claim_head=True
    )
    client.force_login(world["ro"])
    client.post(
        reverse(CHANGELIST),
        {"action": "confirm_head_selected", "_selected_action": [link.pk]},
    )
    link.refresh_from_db()
    assert link.head_status == HeadStatus.CONFIRMED


def test_evaluator_cannot_confirm_a_second_head_and_is_told_why(client, world):
    school = world["ro_link"].school
    make_teacher(school, head=True)
    newcomer = UserFactory()
    TeacherProfileFactory(user=newcomer)
    link = services.request_school_membership(newcomer, school, claim_head=True)
    client.force_login(world["ro"])
    response = client.post(
        reverse("admin:accounts_schoolmembership_decide", args=[link.pk]),
        {"decision": "confirm_head"},
        follow=True,
    )
    assert "already has a confirmed head" in response.content.decode()
    assert (
        SchoolMembership.objects.filter(
            school=school, head_status=HeadStatus.CONFIRMED
        ).count()
        == 1
    )


def test_central_staff_see_every_country(client, world):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.get(reverse(CHANGELIST))
    assert _ids(response) >= {world["ro_link"].pk, world["tr_link"].pk}


def test_changelist_queries_do_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["ro"])
    school = world["ro_link"].school

    def load():
        # 1 session, 2 user, 3-4 permissions (user's, group's), 5 evaluator's countries
        # (scoping), 6 country filter choices, 7 count, 8 unfiltered count, 9 the page of
        # rows joined with teacher, school and country, 10 the date hierarchy's range,
        # 11 its days, 12-13 the navigation's school links and evaluator check.
        with django_assert_max_num_queries(13):
            assert client.get(reverse(CHANGELIST)).status_code == 200

    for _ in range(10):
        make_teacher(school, status=S.PENDING)
    load()
    for _ in range(190):
        make_teacher(school, status=S.PENDING)
    load()


def test_evaluator_renaming_a_school_into_a_duplicate_is_told_not_crashed(
    client, world
):
    services.ensure_evaluator_group()
    client.force_login(world["ro"])
    other = SchoolFactory(name="Colegiul Național Unirea", city="Cluj-Napoca")
    school = world["ro_link"].school
    response = client.post(
        reverse("admin:accounts_school_change", args=[school.pk]),
        {
            "name": "colegiul national UNIREA",
            "country": country("RO").pk,
            "city": "cluj napoca",
            "address": "",
            "level": school.level,
            "website": "",
        },
    )
    assert response.status_code == 200
    assert "This school is already registered as “Colegiul Național Unirea”" in (
        response.content.decode()
    )
    school.refresh_from_db()
    assert school.name != other.name


def test_bulk_validation_reports_how_many(client, world):
    school = world["ro_link"].school
    second = make_teacher(school, status=S.PENDING).memberships.get()
    client.force_login(world["ro"])
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "validate_selected",
            "_selected_action": [world["ro_link"].pk, second.pk],
        },
        follow=True,
    )
    assert "2 teachers validated." in response.content.decode()
