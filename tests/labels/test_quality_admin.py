"""NSO evaluation of the NQL in the admin: scoping, review screen, rubric (R21, R23, R26)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from labels.enums import NQLStatus
from labels.models.quality import QualityLabelApplication, QualityRubric
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    country,
    make_evaluator,
    make_teacher,
)
from tests.factories.labels_quality import (
    european_project,
    make_awarded,
    make_draft,
    make_submitted,
    scores,
    subscores,
)
from tests.factories.projects import make_founded_project

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:labels_qualitylabelapplication_changelist"
CHANGE = "admin:labels_qualitylabelapplication_change"


@pytest.fixture
def two_countries():
    """A submitted Romanian and a submitted French application, and a Romanian draft."""
    project, ro_teacher, fr_teacher = european_project("RO", "FR")
    ro = make_submitted(ro_teacher, project)
    fr = make_submitted(fr_teacher, project)
    other, ro2, _x = european_project("RO", "IT")
    draft = make_draft(ro2, other)
    return ro, fr, draft


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_evaluator_list_shows_only_own_country_submitted(client, two_countries):
    ro, _fr, _draft = two_countries
    _login(client, make_evaluator("RO"))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {ro.pk}


def test_evaluator_search_and_filters_stay_in_scope(client, two_countries):
    ro, _fr, _draft = two_countries
    _login(client, make_evaluator("RO"))
    title = ro.project.title
    response = client.get(reverse(CHANGELIST), {"q": title, "status": "submitted"})
    assert {o.pk for o in response.context["cl"].result_list} == {ro.pk}
    response = client.get(reverse(CHANGELIST), {"project": ro.project_id})
    assert {o.pk for o in response.context["cl"].result_list} == {ro.pk}


def test_direct_url_to_another_countrys_application_is_refused(client, two_countries):
    ro, fr, draft = two_countries
    _login(client, make_evaluator("RO"))
    assert client.get(reverse(CHANGE, args=[ro.pk])).status_code == 200
    # Not in the scoped queryset: the admin answers "does not exist" (redirect home).
    response = client.get(reverse(CHANGE, args=[fr.pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    # A draft is private even in the evaluator's country.
    response = client.get(reverse(CHANGE, args=[draft.pk]))
    assert response.status_code == 302
    # Posting scores to a foreign application changes nothing.
    client.post(reverse(CHANGE, args=[fr.pk]), _score_post(5))
    fr.refresh_from_db()
    assert fr.status == NQLStatus.SUBMITTED


def test_actions_and_export_only_touch_own_country(client, two_countries):
    ro, fr, _draft = two_countries
    _login(client, make_evaluator("RO"))
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_csv", "_selected_action": [ro.pk, fr.pk]},
    )
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert ro.project.title in body
    assert f"\r\n{fr.pk}," not in body
    assert ",FR," not in body
    client.post(
        reverse(CHANGELIST),
        {"action": "start_evaluation", "_selected_action": [ro.pk, fr.pk]},
    )
    ro.refresh_from_db()
    fr.refresh_from_db()
    assert ro.status == NQLStatus.UNDER_EVALUATION
    assert fr.status == NQLStatus.SUBMITTED


def test_evaluator_does_not_see_applications_of_own_school(client):
    school = SchoolFactory(country=country("RO"))
    teacher = make_teacher(school)
    partner = make_teacher(SchoolFactory(country=country("FR")))
    app = make_submitted(teacher, make_founded_project(teacher, partner))
    evaluator = make_evaluator("RO")
    from accounts.models import SchoolMembership

    SchoolMembership.objects.create(teacher=evaluator, school=school)
    _login(client, evaluator)
    response = client.get(reverse(CHANGELIST))
    assert app.pk not in {o.pk for o in response.context["cl"].result_list}
    assert client.get(reverse(CHANGE, args=[app.pk])).status_code == 302


def _score_post(value, **extra):
    data = {f"score_{k}": v for k, v in scores(value).items()}
    data.update({f"sub_{k}": v for k, v in subscores(value).items()})
    data.update(extra)
    return data


def test_review_screen_scores_and_awards(client, two_countries):
    ro, _fr, _draft = two_countries
    _login(client, make_evaluator("RO"))
    url = reverse(CHANGE, args=[ro.pk])
    page = client.get(url).content.decode()
    assert ro.collaboration in page
    assert "https://example.org/ebook" in page
    response = client.post(url, _score_post(5, comments="Well done"))
    assert response.status_code == 302
    ro.refresh_from_db()
    assert ro.status == NQLStatus.AWARDED
    assert ro.evaluations.get().total == 25


def test_review_screen_refuses_override_without_reason(client, two_countries):
    ro, _fr, _draft = two_countries
    _login(client, make_evaluator("RO"))
    response = client.post(
        reverse(CHANGE, args=[ro.pk]), _score_post(5, decision="reject")
    )
    assert response.status_code == 200
    assert "reason" in response.content.decode()
    ro.refresh_from_db()
    assert ro.status == NQLStatus.SUBMITTED


def test_editing_a_used_rubric_makes_a_new_version(admin_client):
    project, teacher, _b = european_project("RO", "DE")
    app = make_awarded(teacher, project, make_evaluator("RO"))
    rubric = app.evaluations.get().rubric
    response = admin_client.post(
        reverse("admin:labels_qualityrubric_change", args=[rubric.pk]),
        {
            "criterion_max": 6,
            "subcriterion_max": 6,
            "subcriterion_min": 4,
            "default_threshold": 20,
            "eql_average_above": 20,
            "notes": "stricter",
        },
    )
    assert response.status_code == 302
    rubric.refresh_from_db()
    assert rubric.subcriterion_min == 3
    assert not rubric.is_current
    current = QualityRubric.objects.get(is_current=True)
    assert (current.version, current.subcriterion_min) == (2, 4)


@pytest.mark.parametrize("rows", [10, 200])
def test_changelist_query_count_does_not_grow(
    client, rows, django_assert_max_num_queries
):
    project, teacher, _b = european_project("RO", "FR")
    school = teacher.memberships.get().school
    apps = [
        QualityLabelApplication(
            project=project if i == 0 else make_founded_project(teacher, _b),
            teacher=teacher,
            school=school,
            country_id=school.country_id,
            status=NQLStatus.SUBMITTED,
            school_year=2025,
        )
        for i in range(rows)
    ]
    QualityLabelApplication.objects.bulk_create(apps)
    evaluator = make_evaluator("RO")
    _login(client, evaluator)
    url = reverse(CHANGELIST) + "?all="
    # 1 session, 2 user, 3 evaluator's countries (scope), 4 project filter choices,
    # 5 filtered count, 6 total count, 7-8 user/group permissions, 9 the page of rows
    # (project, teacher, school, country joined), 10-11 the layout's navigation
    # (memberships, evaluator flag): the same with 10 or 200 rows.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
