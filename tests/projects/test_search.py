"""R7 partner search: the search table follows accounts, every filter works, no COUNT."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import MembershipStatus, Role
from accounts.models import SchoolMembership, TeacherProfile
from projects import search
from projects.models import PartnerSearchEntry
from tests.factories.accounts import PASSWORD, SchoolFactory, country, make_teacher

pytestmark = pytest.mark.django_db


def teacher(code="RO", *, on_commit=None, **profile):
    """A validated teacher whose search row is written (the sync runs on commit)."""
    user = make_teacher(SchoolFactory(country=country(code)))
    if profile:
        TeacherProfile.objects.filter(user=user).update(**profile)
    search.sync_teacher(user.pk)
    return user


def ids(page):
    return {row.teacher_id for row in page.rows}


def test_validated_teacher_is_listed_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_teacher(SchoolFactory(country=country("IT")))
    entry = PartnerSearchEntry.objects.get(teacher=user)
    assert entry.country.code == "IT"
    assert entry.subjects == " mathematics "


def test_pending_teacher_is_listed_once_validated(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_teacher(status=MembershipStatus.PENDING)
    assert not PartnerSearchEntry.objects.filter(teacher=user).exists()
    membership = SchoolMembership.objects.get(teacher=user)
    membership.status = MembershipStatus.VALIDATED
    with django_capture_on_commit_callbacks(execute=True):
        membership.save()
    assert PartnerSearchEntry.objects.filter(teacher=user).exists()


def test_inspectors_and_future_teachers_are_not_listed():
    for role in (Role.INSPECTOR, Role.FUTURE_TEACHER):
        user = make_teacher(role=role)
        assert search.sync_teacher(user.pk) is False


def test_profile_change_updates_the_row(django_capture_on_commit_callbacks):
    user = teacher()
    profile = user.profile
    profile.subjects = ["music", "art"]
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert PartnerSearchEntry.objects.get(teacher=user).subjects == " music art "


def test_each_filter_narrows_the_results():
    ro_math = teacher("RO")
    it_music = teacher(
        "IT",
        subjects=["music"],
        languages=["it", "en"],
        age_groups=["7-11"],
        interests=["culture"],
        profession="Maestra di musica",
    )
    assert ids(search.search_teachers({})) == {ro_math.pk, it_music.pk}
    assert ids(search.search_teachers({"country": country("IT")})) == {it_music.pk}
    assert ids(search.search_teachers({"subject": "mathematics"})) == {ro_math.pk}
    assert ids(search.search_teachers({"language": "it"})) == {it_music.pk}
    assert ids(search.search_teachers({"language": "en"})) == {ro_math.pk, it_music.pk}
    assert ids(search.search_teachers({"age_group": "7-11"})) == {it_music.pk}
    assert ids(search.search_teachers({"interest": "stem"})) == {ro_math.pk}
    assert ids(search.search_teachers({"q": "MUSICA"})) == {it_music.pk}
    # A country combined with list filters.
    en = {"language": "en"}
    assert ids(search.search_teachers({**en, "country": country("IT")})) == {
        it_music.pk
    }
    assert ids(search.search_teachers({**en, "country": country("RO")})) == {ro_math.pk}
    assert not search.search_teachers(
        {"subject": "music", "country": country("RO")}
    ).rows


def test_a_token_never_matches_part_of_another():
    """“art” must not find a teacher of “martial arts” (tokens are space-delimited)."""
    teacher(subjects=["physical_education"])
    assert not search.search_teachers({"subject": "education"}).rows


def test_free_text_ignores_accents_and_case():
    school = SchoolFactory(name="Școala Gimnazială Ștefan cel Mare", city="Iași")
    user = make_teacher(school)
    search.sync_teacher(user.pk)
    assert ids(search.search_teachers({"q": "scoala stefan IASI"})) == {user.pk}


def test_pages_fetch_one_row_more_instead_of_counting():
    for _ in range(search.PAGE_SIZE + 1):
        teacher()
    with CaptureQueriesContext(connection) as queries:
        first = search.search_teachers({}, 1)
    assert len(queries) == 2  # the page's ids, then those rows with school and country
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert len(first.rows) == search.PAGE_SIZE
    assert first.has_next
    second = search.search_teachers({}, 2)
    assert len(second.rows) == 1
    assert not second.has_next


def test_school_search_finds_schools_with_a_matching_teacher():
    ro = teacher("RO")
    teacher("IT", subjects=["music"])
    page = search.search_schools({"subject": "mathematics"})
    assert [s.pk for s in page.rows] == [ro.memberships.get().school_id]


def test_search_page_shows_results_and_a_next_link(client):
    viewer = teacher()
    for _ in range(search.PAGE_SIZE + 1):
        teacher("IT")
    client.login(username=viewer.username, password=PASSWORD)
    html = client.get(
        reverse("projects:search"), {"country": country("IT").pk}
    ).content.decode()
    assert html.count("View profile") == search.PAGE_SIZE
    assert 'rel="next"' in html


def test_rebuild_command_rebuilds_the_table():
    users = [teacher() for _ in range(3)]
    PartnerSearchEntry.objects.all().delete()
    call_command("rebuild_partner_search", verbosity=0)
    assert set(PartnerSearchEntry.objects.values_list("teacher_id", flat=True)) == {
        u.pk for u in users
    }


def test_a_school_found_in_the_search_lists_its_teachers_to_invite(client):
    viewer = teacher("IT")
    colleague_school = SchoolFactory(country=country("RO"), name="Liceul Sincai")
    member = make_teacher(colleague_school)
    search.sync_teacher(member.pk)
    teacher("RO")  # another school: not listed
    client.login(username=viewer.username, password=PASSWORD)
    schools = client.get(reverse("projects:search"), {"mode": "schools", "q": "sincai"})
    assert f"?school={colleague_school.pk}" in schools.content.decode()
    page = client.get(reverse("projects:search"), {"school": colleague_school.pk})
    html = page.content.decode()
    assert html.count("View profile") == 1
    assert member.display_name in html


def test_search_for_a_project_marks_members_and_invited_teachers(client):
    from projects import services
    from tests.factories.projects import make_founded_project

    a, b = teacher("RO"), teacher("IT")
    project = make_founded_project(a, b)
    invited, free = teacher("ES"), teacher("PL")
    services.invite_partner(project, invited, inviter=a)
    client.login(username=a.username, password=PASSWORD)
    html = client.get(
        reverse("projects:search"), {"project": project.pk}
    ).content.decode()
    assert html.count("In the project") == 1  # b (a is the viewer, never listed)
    assert html.count(">Invited<") == 1
    assert html.count("Invite</button>") == 1  # only the free teacher
    assert free.display_name in html


def test_rebuild_lists_a_teacher_once_with_their_main_school():
    from tests.factories.accounts import MembershipFactory

    user = teacher("RO")
    main = user.memberships.get().school
    MembershipFactory(
        teacher=user, school=SchoolFactory(country=country("IT")), is_main=False
    )
    search.sync_teacher(user.pk)
    synced = PartnerSearchEntry.objects.get(teacher=user)
    call_command("rebuild_partner_search", verbosity=0)
    rebuilt = PartnerSearchEntry.objects.get(teacher=user)
    assert rebuilt.school_id == synced.school_id == main.pk
    assert rebuilt.facets == synced.facets
    assert rebuilt.text == synced.text
