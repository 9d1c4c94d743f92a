"""NQL with its neighbours: TwinSpace access (R15), pupils (R26a), EQL admin (R26), panels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from labels.enums import EQLCandidateStatus, NQLStatus
from labels.models.quality import (
    EuropeanQualityLabelCandidate,
    PupilQualityCertificate,
    QualityLabelApplication,
    school_year_of,
)
from labels.services import quality as services
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    UserFactory,
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


def test_submission_opens_twinspace_to_the_country_and_decision_closes_it():
    from twinspace.models import EvaluationAccess

    project, teacher, _b = european_project("RO", "FR")
    app = make_submitted(teacher, project)
    access = EvaluationAccess.objects.get(twinspace__project=project)
    assert access.country.code == "RO"
    assert access.ended_at is None
    services.evaluate_application(
        app, evaluator=make_evaluator("RO"), scores=scores(5), subscores=subscores(5)
    )
    access.refresh_from_db()
    assert access.ended_at is not None


def test_pupil_certificates_list_the_teachers_pupils_from_twinspace(client):
    from twinspace import services as twinspace_services

    project, teacher, _b = european_project("RO", "FR")
    app = make_awarded(teacher, project, make_evaluator("RO"))
    twinspace = twinspace_services.ensure_twinspace(project)
    twinspace_services.add_project_teacher(
        project, project.members.get(teacher=teacher)
    )
    twinspace_services.create_pupils(twinspace, "Ana Pop\nDan Ilie", actor=teacher)
    pupils = services.project_pupils(project, teacher)
    assert len(pupils) == 2
    client.login(username=teacher.username, password=PASSWORD)
    url = reverse("labels:quality_pupils", args=[app.pk])
    page = client.get(url).content.decode()
    assert "Dan I" in page
    client.post(url, {"pupils": [str(pupils[0].pk)], "names": "Eva Typed"})
    assert set(
        PupilQualityCertificate.objects.values_list("pupil_name", flat=True)
    ) == {pupils[0].display_name, "Eva Typed"}


def _candidates():
    project, ro_teacher, fr_teacher = european_project("RO", "FR")
    make_awarded(ro_teacher, project, make_evaluator("RO"), total_each=5)
    make_awarded(fr_teacher, project, make_evaluator("FR"), total_each=5)
    services.find_european_candidates(school_year_of())
    return project, {
        c.country.code: c for c in EuropeanQualityLabelCandidate.objects.all()
    }


def test_eql_admin_evaluator_sees_and_nominates_only_own_country(client):
    project, candidates = _candidates()
    client.login(username=make_evaluator("RO").username, password=PASSWORD)
    url = reverse("admin:labels_europeanqualitylabelcandidate_changelist")
    response = client.get(url)
    assert {c.pk for c in response.context["cl"].result_list} == {candidates["RO"].pk}
    client.post(
        url,
        {
            "action": "nominate",
            "_selected_action": [candidates["RO"].pk, candidates["FR"].pk],
        },
    )
    statuses = dict(
        EuropeanQualityLabelCandidate.objects.values_list("country__code", "status")
    )
    assert statuses == {"RO": EQLCandidateStatus.NOMINATED, "FR": "candidate"}
    # An evaluator cannot award: the action refuses, nothing is created.
    client.post(url, {"action": "award", "_selected_action": [candidates["RO"].pk]})
    assert not project.european_labels.exists()


def test_eql_central_staff_find_candidates_and_award(client):
    project, candidates = _candidates()
    services.nominate_for_european_label(candidates["RO"], actor=make_evaluator("RO"))
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.login(username=staff.username, password=PASSWORD)
    url = reverse("admin:labels_europeanqualitylabelcandidate_changelist")
    client.post(reverse("admin:labels_eql_find"), {"school_year": school_year_of()})
    client.post(url, {"action": "award", "_selected_action": [candidates["RO"].pk]})
    assert project.european_labels.get().school_year == school_year_of()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "European Quality Label" in page


@pytest.mark.parametrize("rows", [10, 200])
def test_project_panel_query_count_does_not_grow(
    rf, rows, django_assert_max_num_queries
):
    from labels.views.quality import project_panel

    project, teacher, partner = european_project("RO", "FR")
    school = teacher.memberships.get().school
    others = [make_teacher(school) for _i in range(3)]
    QualityLabelApplication.objects.bulk_create(
        [
            QualityLabelApplication(
                project=project,
                teacher=others[i % 3] if i < 3 else UserFactory(),
                school=school,
                country_id=school.country_id,
                status=NQLStatus.AWARDED,
                school_year=2025,
            )
            for i in range(rows)
        ]
    )
    request = rf.get("/")
    request.user = partner
    # 1 awarded labels with teacher and school/country, 2 European labels, 3 the
    # user's own application, 4-6 can_apply (validated teacher: profile, memberships;
    # project membership), 7 already applied, 8 is_member: whatever the rows.
    with django_assert_max_num_queries(8):
        _template, context = project_panel(request, project)
    assert len(context["awarded"]) == rows
    assert context["can_apply"] is True


def test_dashboard_and_profile_show_the_teachers_labels(client):
    project, teacher, _b = european_project("RO", "FR")
    make_awarded(teacher, project, make_evaluator("RO"))
    italian = make_teacher(SchoolFactory(country=country("IT")))
    drafted = make_founded_project(teacher, italian)
    make_draft(teacher, drafted)
    client.login(username=teacher.username, password=PASSWORD)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "My Quality Label applications" in dashboard
    assert "Awarded" in dashboard
    assert "Draft" in dashboard
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "National Quality Label" in profile
    assert (
        reverse(
            "labels:quality_certificate", args=[project.quality_applications.get().pk]
        )
        in profile
    )
    assert drafted.title not in profile
