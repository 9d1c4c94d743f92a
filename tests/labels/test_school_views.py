"""School Label pages: eligibility explained, sections, signature, certificates, public pages, admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Country
from labels.enums import SchoolLabelSection, SchoolLabelStatus
from labels.models import SchoolLabel
from labels.services import school as services
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    make_evaluator,
    make_teacher,
)
from tests.factories.labels import make_campaign, make_selectable_school
from tests.labels.test_school_application import fill, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    campaign = make_campaign()
    school, (head, teacher, colleague) = make_selectable_school(campaign)
    services.select_stage_one(campaign)
    return campaign, school, head, teacher, colleague


def _login(client, user):
    client.force_login(user)
    return client


def _award(application, teacher):
    services.submit_school_application(application, actor=teacher)
    services.decide_school_application(
        application, award=True, actor=make_evaluator("RO"), feedback=""
    )
    return SchoolLabel.objects.get(application=application)


def test_teacher_sees_the_three_criteria_with_figures_and_what_is_missing(client):
    campaign = make_campaign()
    _school, (_head, teacher) = make_selectable_school(campaign, teachers=2)
    services.select_stage_one(campaign)

    response = _login(client, teacher).get(reverse("labels:school_label"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "2 of the 3 active teachers" in text
    assert "1 more active teacher(s) needed" in text
    assert "1 European NQL project(s)" in text
    assert "Not selected this time" in text
    assert campaign.deadline.strftime("%Y") in text


def test_selected_school_teacher_starts_and_colleague_joins_through_the_page(
    client, world
):
    campaign, school, _head, teacher, colleague = world
    url = reverse("labels:school_label_start", args=[campaign.pk, school.pk])

    first = _login(client, teacher).post(url)
    client.logout()
    second = _login(client, colleague).post(url, follow=True)

    assert first.status_code == 302
    assert "already started" in second.content.decode()
    assert school.label_applications.count() == 1


def test_dashboard_shows_the_invitation(client, world):
    _campaign, _school, _head, teacher, _colleague = world
    response = _login(client, teacher).get(reverse("dashboard"))
    assert "is invited to apply" in response.content.decode()


def test_section_form_saves_and_a_stale_save_shows_the_colleagues_text(client, world):
    campaign, school, _head, teacher, colleague = world
    application, _ = services.start_application(campaign, school, actor=teacher)
    url = reverse(
        "labels:school_section",
        args=[application.pk, SchoolLabelSection.STUDENTS_AGENTS],
    )
    _login(client, teacher).post(
        url, {"description": "Pupils run the eTwinning club.", "version": 0}
    )
    client.logout()

    response = _login(client, colleague).post(
        url, {"description": "Pupils present to parents.", "version": 0}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Pupils run the eTwinning club." in text  # theirs, shown
    assert "Pupils present to parents." in text  # mine, kept in the form
    section = application.sections.get(key=SchoolLabelSection.STUDENTS_AGENTS)
    assert section.description == "Pupils run the eTwinning club."


def test_autosave_answers_json_and_409_with_the_other_text(client, world):
    campaign, school, _head, teacher, colleague = world
    application, _ = services.start_application(campaign, school, actor=teacher)
    url = reverse(
        "labels:school_section", args=[application.pk, SchoolLabelSection.COLLABORATION]
    )
    ok = _login(client, teacher).post(
        url,
        {"description": "We plan together.", "version": 0},
        HTTP_ACCEPT="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 1

    client.logout()
    stale = _login(client, colleague).post(
        url,
        {"description": "Something else", "version": 0},
        HTTP_ACCEPT="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["error"] == "conflict"
    assert stale.json()["fields"]["description"] == "We plan together."


def test_a_teacher_of_another_school_cannot_open_the_application(client, world):
    campaign, school, _head, teacher, _colleague = world
    application, _ = services.start_application(campaign, school, actor=teacher)
    outsider = make_teacher()
    response = _login(client, outsider).get(application.get_absolute_url())
    assert response.status_code == 404


def test_the_head_signs_on_the_page_and_a_teacher_cannot(client, world):
    campaign, school, head, teacher, _colleague = world
    application, _ = services.start_application(campaign, school, actor=teacher)
    fill(application, teacher)
    url = reverse("labels:school_sign", args=[application.pk])

    assert _login(client, teacher).get(url).status_code == 403
    client.logout()
    wrong = _login(client, head).post(
        url, {"full_name": head.get_full_name(), "password": "nope", "confirm": "on"}
    )
    assert "password is not correct" in wrong.content.decode()
    done = client.post(
        url, {"full_name": head.get_full_name(), "password": PASSWORD, "confirm": "on"}
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.signed_by == head


def test_certificate_downloads_for_the_school_and_verifies_publicly(client, world):
    campaign, school, head, teacher, _colleague = world
    application, _ = services.start_application(campaign, school, actor=teacher)
    fill(application, teacher)
    sign(application, head)
    label = _award(application, teacher)

    _login(client, teacher)
    pdf = client.get(reverse("labels:school_certificate", args=[label.code, "pdf"]))
    png = client.get(reverse("labels:school_certificate", args=[label.code, "png"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert png.content.startswith(b"\x89PNG")
    client.logout()
    assert (
        _login(client, make_teacher())
        .get(reverse("labels:school_certificate", args=[label.code, "pdf"]))
        .status_code
        == 404
    )
    client.logout()

    verified = client.get(reverse("labels:verify"), {"code": label.code.lower()})
    assert "Genuine certificate" in verified.content.decode()
    assert school.name in verified.content.decode()
    unknown = client.get(reverse("labels:verify"), {"code": "ETS-NOTACODE"})
    assert "No certificate has this code" in unknown.content.decode()
    # The school page and the home page show the label.
    assert (
        "eTwinning School 2025-2026"
        in client.get(school.get_absolute_url()).content.decode()
    )
    assert school.name in client.get(reverse("home")).content.decode()


def _labels(n: int) -> None:
    campaign = make_campaign(name=f"20{n:02d}-x")
    countries = list(Country.objects.order_by("pk")[:5])
    teacher = make_teacher()
    for i in range(n):
        school = SchoolFactory(country=countries[i % 5])
        application = services.SchoolLabelApplication.objects.create(
            campaign=campaign,
            school=school,
            started_by=teacher,
            status=SchoolLabelStatus.AWARDED,
        )
        SchoolLabel.objects.create(
            application=application,
            school=school,
            campaign=campaign,
            title=campaign.label_title,
            valid_from=campaign.opens_on,
            valid_until=campaign.deadline,
        )


@pytest.mark.parametrize("rows", [10, 200])
def test_public_statistics_and_home_queries_do_not_grow_with_labels(
    client, rows, django_assert_max_num_queries
):
    _labels(rows)
    # 1: labels grouped by country and campaign
    with django_assert_max_num_queries(1):
        response = client.get(reverse("labels:school_label_statistics"))
    assert response.status_code == 200
    assert f">{rows // 5}<" in response.content.decode()
    # 1: school count, 2: the six latest labels with school and country
    with django_assert_max_num_queries(2):
        client.get(reverse("home"))


@pytest.mark.parametrize("schools", [1, 8])
def test_school_label_page_queries_do_not_grow_with_schools(
    client, schools, django_assert_max_num_queries
):
    campaign = make_campaign()
    teacher = make_teacher()
    for _i in range(schools - 1):
        from accounts.models import SchoolMembership

        SchoolMembership.objects.create(
            teacher=teacher, school=SchoolFactory(), status="validated", is_main=False
        )
    services.select_stage_one(campaign)
    _login(client, teacher)
    # 1 session, 2 user, 3 published campaigns, 4 the teacher's validated memberships with
    # schools, 5 stored eligibilities, 6 the figures of the schools without a stored row
    # (computed for all of them at once), 7 applications, 8 invitations, 9 the navigation's
    # role (context processor), 10 labels held by these schools
    with django_assert_max_num_queries(10):
        response = client.get(reverse("labels:school_label"))
    assert response.status_code == 200


def test_evaluator_decides_in_the_admin_and_other_countries_get_404(client, world):
    campaign, school, head, teacher, _colleague = world
    application, _ = services.start_application(campaign, school, actor=teacher)
    fill(application, teacher)
    sign(application, head)
    services.submit_school_application(application, actor=teacher)
    url = reverse("admin:labels_schoollabelapplication_change", args=[application.pk])

    assert _login(client, make_evaluator("IT")).get(url).status_code in (302, 404)
    client.logout()
    evaluator = make_evaluator("RO")
    _login(client, evaluator)
    page = client.get(url)
    assert page.status_code == 200
    assert "How we do collaboration." in page.content.decode()
    data = {
        "decision": "reject",
        "decision_feedback": "Add your eTwinning action plan.",
        "assessments-TOTAL_FORMS": "1",
        "assessments-INITIAL_FORMS": "0",
        "assessments-MIN_NUM_FORMS": "0",
        "assessments-MAX_NUM_FORMS": "1000",
        "assessments-0-key": "collaboration",
        "assessments-0-rating": "partly",
        "assessments-0-comment": "No action plan yet.",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == SchoolLabelStatus.REJECTED
    assert application.assessments.get().evaluator == evaluator
    client.logout()
    page = _login(client, teacher).get(application.get_absolute_url()).content.decode()
    assert "Add your eTwinning action plan." in page
    assert "No action plan yet." in page


def test_central_staff_start_stage_one_from_the_admin(
    client, django_capture_on_commit_callbacks
):
    from tests.factories.accounts import UserFactory

    campaign = make_campaign()
    make_selectable_school(campaign)
    staff = UserFactory(is_staff=True, is_superuser=True)
    _login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:labels_schoollabelcampaign_changelist"),
            {"action": "run_stage_one", "_selected_action": [campaign.pk]},
        )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.stage_one_finished_at is not None
    assert campaign.selected_count == 1
    assert campaign.invited_count == 3


def test_evaluators_cannot_open_campaigns(client):
    campaign = make_campaign()
    _login(client, make_evaluator("RO"))
    url = reverse("admin:labels_schoollabelcampaign_change", args=[campaign.pk])
    assert client.get(url).status_code in (302, 403, 404)
