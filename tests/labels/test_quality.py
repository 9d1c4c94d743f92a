"""National Quality Label: applying, refusals, the cap, drafts, rubric, EQL (R16-R26a)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from labels.enums import EQLCandidateStatus, EvaluationResult, NQLStatus
from labels.models.quality import (
    EuropeanQualityLabelCandidate,
    QualityCountrySettings,
    QualityLabelApplication,
    QualityRubric,
    QualityStatusChange,
    school_year_of,
)
from labels.services import quality as services
from tests.factories.accounts import PASSWORD, country, make_evaluator
from tests.factories.labels_quality import (
    COMPLETE_ANSWERS,
    FIVE_YES,
    european_project,
    make_awarded,
    make_draft,
    make_submitted,
    national_project,
    scores,
    subscores,
)
from tests.markers import requires_postgres

pytestmark = pytest.mark.django_db


# --- R16, R17, R20: starting an application ---------------------------------


def test_five_yes_answers_are_needed_to_start():
    project, teacher, _b = european_project()
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.start_application(
            teacher, project, answers={**FIVE_YES, "ending": False}
        )
    assert exc.value.code == "not_eligible"
    assert not QualityLabelApplication.objects.exists()


def test_national_project_is_refused():
    project, teacher, _b = national_project()
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.start_application(teacher, project, answers=FIVE_YES)
    assert exc.value.code == "national"
    assert "national" in str(exc.value.message)


def test_national_project_apply_page_shows_the_reason(client):
    project, teacher, _b = national_project()
    client.login(username=teacher.username, password=PASSWORD)
    response = client.get(reverse("labels:quality_apply", args=[project.pk]))
    assert response.status_code == 403
    assert "Only European projects" in response.content.decode()


def test_second_application_by_same_teacher_for_same_project_is_refused():
    project, teacher, partner = european_project()
    make_draft(teacher, project)
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.start_application(teacher, project, answers=FIVE_YES)
    assert exc.value.code == "duplicate"
    # The label is personal: the partner applies separately.
    assert (
        services.start_application(partner, project, answers=FIVE_YES).teacher
        == partner
    )


def test_unique_constraint_backs_one_application_per_teacher_and_project():
    from django.db import IntegrityError, transaction

    project, teacher, _b = european_project()
    app = make_draft(teacher, project)
    with pytest.raises(IntegrityError), transaction.atomic():
        QualityLabelApplication.objects.create(
            project=project,
            teacher=teacher,
            school=app.school,
            school_year=app.school_year,
        )


def test_apply_flow_creates_a_draft_and_records_it(client):
    project, teacher, _b = european_project()
    client.login(username=teacher.username, password=PASSWORD)
    url = reverse("labels:quality_apply", args=[project.pk])
    response = client.post(url, dict.fromkeys(FIVE_YES, "yes"))
    app = QualityLabelApplication.objects.get()
    assert response.url == reverse("labels:quality_edit", args=[app.pk])
    assert app.status == NQLStatus.DRAFT
    assert app.school.country.code == "RO"
    assert app.status_changes.get().new_status == NQLStatus.DRAFT


# --- R19: the four-per-school-year cap --------------------------------------


def _submitted_projects(teacher_count: int = 4):
    """A teacher already with `teacher_count` submitted applications this school year."""
    project, teacher, _b = european_project()
    make_submitted(teacher, project)
    for _i in range(teacher_count - 1):
        from tests.factories.accounts import SchoolFactory, make_teacher
        from tests.factories.projects import make_founded_project

        partner = make_teacher(SchoolFactory(country=country("IT")))
        p = make_founded_project(teacher, partner)
        make_submitted(teacher, p)
    return teacher


def test_fifth_submission_in_school_year_is_refused():
    teacher = _submitted_projects(4)
    from tests.factories.accounts import SchoolFactory, make_teacher
    from tests.factories.projects import make_founded_project

    fifth = make_founded_project(
        teacher, make_teacher(SchoolFactory(country=country("ES")))
    )
    draft = make_draft(teacher, fifth, **COMPLETE_ANSWERS)
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.submit_application(draft, actor=teacher)
    assert exc.value.code == "cap"
    draft.refresh_from_db()
    assert draft.status == NQLStatus.DRAFT
    assert draft.collaboration == COMPLETE_ANSWERS["collaboration"]  # nothing lost


def test_drafts_do_not_count_toward_the_cap():
    project, teacher, _b = european_project()
    from tests.factories.accounts import SchoolFactory, make_teacher
    from tests.factories.projects import make_founded_project

    for code in ("IT", "ES", "DE", "PL"):
        p = make_founded_project(
            teacher, make_teacher(SchoolFactory(country=country(code)))
        )
        make_draft(teacher, p, **COMPLETE_ANSWERS)
    assert make_submitted(teacher, project).status == NQLStatus.SUBMITTED


def test_last_school_years_submissions_do_not_count():
    teacher = _submitted_projects(4)
    QualityLabelApplication.objects.filter(teacher=teacher).update(
        school_year=school_year_of() - 1
    )
    from tests.factories.accounts import SchoolFactory, make_teacher
    from tests.factories.projects import make_founded_project

    p = make_founded_project(
        teacher, make_teacher(SchoolFactory(country=country("ES")))
    )
    assert make_submitted(teacher, p).status == NQLStatus.SUBMITTED


def test_school_year_runs_september_to_august():
    assert school_year_of(datetime.date(2025, 9, 1)) == 2025
    assert school_year_of(datetime.date(2026, 8, 31)) == 2025
    assert school_year_of(datetime.date(2026, 1, 15)) == 2025


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifth_submission_is_refused_when_two_are_sent_at_once():
    teacher = _submitted_projects(3)
    from tests.factories.accounts import SchoolFactory, make_teacher
    from tests.factories.projects import make_founded_project

    drafts = [
        make_draft(
            teacher,
            make_founded_project(
                teacher, make_teacher(SchoolFactory(country=country(c)))
            ),
            **COMPLETE_ANSWERS,
        )
        for c in ("ES", "DE")
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(draft):
        try:
            barrier.wait()
            services.submit_application(draft, actor=teacher)
            outcomes.append("ok")
        except services.QualityLabelRefused as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["cap", "ok"]
    assert (
        QualityLabelApplication.objects.filter(
            teacher=teacher, status=NQLStatus.SUBMITTED
        ).count()
        == 4
    )


# --- R21: per-country deadline ----------------------------------------------


def test_submission_after_country_deadline_is_refused(monkeypatch):
    # A fixed day inside a school year, so that "yesterday" is in the same school year
    # whatever the calendar says (on 1 September it would belong to the previous one).
    fixed_now = timezone.make_aware(datetime.datetime(2026, 3, 15, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: fixed_now)
    project, teacher, _b = european_project()
    QualityCountrySettings.objects.create(
        country=country("RO"), deadline=datetime.date(2026, 3, 14)
    )
    draft = make_draft(teacher, project, **COMPLETE_ANSWERS)
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.submit_application(draft, actor=teacher)
    assert exc.value.code == "deadline"


def test_other_countries_deadline_does_not_apply():
    project, teacher, _b = european_project()
    QualityCountrySettings.objects.create(
        country=country("FR"),
        deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert make_submitted(teacher, project).status == NQLStatus.SUBMITTED


def test_incomplete_draft_cannot_be_submitted():
    project, teacher, _b = european_project()
    draft = make_draft(teacher, project, collaboration="Only this")
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.submit_application(draft, actor=teacher)
    assert exc.value.code == "incomplete"


def test_submission_mails_the_teacher_and_records_the_change(
    django_capture_on_commit_callbacks,
):
    project, teacher, _b = european_project()
    with django_capture_on_commit_callbacks(execute=True):
        app = make_submitted(teacher, project)
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    change = app.status_changes.last()
    assert (change.old_status, change.new_status, change.actor) == (
        NQLStatus.DRAFT,
        NQLStatus.SUBMITTED,
        teacher,
    )


# --- R25: drafts that never lose text ---------------------------------------


def test_stale_draft_save_is_refused_with_the_other_text():
    project, teacher, _b = european_project()
    app = make_draft(teacher, project)
    base = app.version
    services.save_draft(
        app, actor=teacher, data={"pedagogy": "tab one"}, base_version=base
    )
    with pytest.raises(services.DraftConflict) as exc:
        services.save_draft(
            app, actor=teacher, data={"pedagogy": "tab two"}, base_version=base
        )
    assert exc.value.current.pedagogy == "tab one"
    app.refresh_from_db()
    assert app.pedagogy == "tab one"


def test_stale_save_of_the_same_text_is_not_a_conflict():
    """The form post may race the autosave of the same text when "Submit" is clicked."""
    project, teacher, _b = european_project()
    app = make_draft(teacher, project)
    base = app.version
    services.save_draft(app, actor=teacher, data={"results": "same"}, base_version=base)
    again = services.save_draft(
        app, actor=teacher, data={"results": "same"}, base_version=base
    )
    assert again.results == "same"


def test_autosave_endpoint_saves_and_returns_the_time(client):
    project, teacher, _b = european_project()
    app = make_draft(teacher, project)
    client.login(username=teacher.username, password=PASSWORD)
    url = reverse("labels:quality_autosave", args=[app.pk])
    response = client.post(url, {"results": "Typed", "version": app.version})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"]
    assert data["version"] == app.version + 1
    assert data["saved_at"]
    conflict = client.post(url, {"results": "Old tab", "version": app.version})
    assert conflict.status_code == 409
    assert conflict.json()["fields"]["results"] == "Typed"


def test_autosave_with_expired_session_answers_401_json(client):
    project, teacher, _b = european_project()
    app = make_draft(teacher, project)
    response = client.post(
        reverse("labels:quality_autosave", args=[app.pk]),
        {"results": "x", "version": 1},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "session_expired"


def test_autosave_of_someone_elses_draft_is_forbidden(client):
    project, teacher, partner = european_project()
    app = make_draft(teacher, project)
    client.login(username=partner.username, password=PASSWORD)
    response = client.post(
        reverse("labels:quality_autosave", args=[app.pk]),
        {"results": "x", "version": 1},
    )
    assert response.status_code == 403


def test_form_post_without_javascript_keeps_text_on_conflict(client):
    project, teacher, _b = european_project()
    app = make_draft(teacher, project)
    services.save_draft(
        app, actor=teacher, data={"results": "other tab"}, base_version=1
    )
    client.login(username=teacher.username, password=PASSWORD)
    response = client.post(
        reverse("labels:quality_edit", args=[app.pk]),
        {"results": "mine, typed without JS", "version": 1, "save": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "mine, typed without JS" in html
    assert "other tab" in html


# --- R23: the rubric ----------------------------------------------------------


def test_rubric_awards_when_minimums_and_threshold_are_met():
    rubric = services.current_rubric()
    total, result, reasons = services.compute_result(
        rubric, 18, scores(4), subscores(3)
    )
    assert (total, result, reasons) == (20, EvaluationResult.AWARD, [])


def test_rubric_refuses_below_a_subcriterion_minimum():
    rubric = services.current_rubric()
    subs = {**subscores(6), "ict": 2}
    _total, result, reasons = services.compute_result(rubric, 18, scores(6), subs)
    assert result == EvaluationResult.REJECT
    assert len(reasons) == 1


def test_rubric_refuses_below_the_country_threshold():
    project, teacher, _b = european_project()
    QualityCountrySettings.objects.create(country=country("RO"), threshold=26)
    app = make_submitted(teacher, project)
    evaluation = services.evaluate_application(
        app, evaluator=make_evaluator("RO"), scores=scores(5), subscores=subscores(5)
    )
    assert (evaluation.total, evaluation.threshold) == (25, 26)
    assert evaluation.result == EvaluationResult.REJECT
    app.refresh_from_db()
    assert app.status == NQLStatus.REJECTED


def test_score_outside_the_scale_is_refused():
    rubric = services.current_rubric()
    with pytest.raises(services.QualityLabelRefused):
        services.compute_result(rubric, 18, scores(7), subscores(3))


def test_override_needs_a_written_reason():
    project, teacher, _b = european_project()
    app = make_submitted(teacher, project)
    evaluator = make_evaluator("RO")
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.evaluate_application(
            app,
            evaluator=evaluator,
            scores=scores(5),
            subscores=subscores(5),
            decision=EvaluationResult.REJECT,
        )
    assert exc.value.code == "override_reason"
    evaluation = services.evaluate_application(
        app,
        evaluator=evaluator,
        scores=scores(5),
        subscores=subscores(5),
        decision=EvaluationResult.REJECT,
        override_reason="The TwinSpace shows no pupil work.",
    )
    assert evaluation.is_override
    assert evaluation.computed_result == EvaluationResult.AWARD


def test_decision_keeps_the_rubric_it_was_made_under():
    project, teacher, _b = european_project()
    app = make_awarded(teacher, project, make_evaluator("RO"))
    evaluation = app.evaluations.get()
    old = QualityRubric.objects.get(is_current=True)
    old.is_current = False
    old.save()
    QualityRubric.objects.create(version=2, default_threshold=28, is_current=True)
    evaluation.refresh_from_db()
    assert evaluation.rubric_snapshot["default_threshold"] == 18
    assert evaluation.rubric.version == 1
    assert evaluation.threshold == 18


def test_decision_is_mailed_and_every_status_change_recorded(
    django_capture_on_commit_callbacks,
):
    project, teacher, _b = european_project()
    evaluator = make_evaluator("RO")
    app = make_submitted(teacher, project)
    services.start_evaluation(app, evaluator=evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluate_application(
            app,
            evaluator=evaluator,
            scores=scores(5),
            subscores=subscores(5),
            comments="Bravo",
        )
    trail = list(
        QualityStatusChange.objects.filter(application=app).values_list(
            "old_status", "new_status"
        )
    )
    assert trail == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "under_evaluation"),
        ("under_evaluation", "awarded"),
    ]
    assert "Bravo" in mail.outbox[-1].body
    app.refresh_from_db()
    assert app.decided_at is not None


def test_evaluator_never_evaluates_own_school():
    project, teacher, _b = european_project()
    evaluator = make_evaluator("RO")
    from accounts.models import SchoolMembership

    SchoolMembership.objects.create(
        teacher=evaluator, school=teacher.memberships.get().school
    )
    app = make_submitted(teacher, project)
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.evaluate_application(
            app, evaluator=evaluator, scores=scores(5), subscores=subscores(5)
        )
    assert exc.value.code == "own_school"


def test_evaluator_of_another_country_cannot_evaluate():
    project, teacher, _b = european_project()
    app = make_submitted(teacher, project)
    with pytest.raises(services.QualityLabelRefused):
        services.evaluate_application(
            app,
            evaluator=make_evaluator("FR"),
            scores=scores(5),
            subscores=subscores(5),
        )


# --- R26: European Quality Label; R26a pupil certificates --------------------


def test_projects_with_labels_in_two_countries_become_eql_candidates():
    project, ro_teacher, fr_teacher = european_project()
    make_awarded(ro_teacher, project, make_evaluator("RO"), total_each=5)
    make_awarded(fr_teacher, project, make_evaluator("FR"), total_each=4)
    single, it_teacher, _x = european_project("IT", "ES")
    make_awarded(it_teacher, single, make_evaluator("IT"))
    candidates = services.find_european_candidates(school_year_of())
    assert {(c.project_id, c.country.code) for c in candidates} == {
        (project.pk, "RO"),
        (project.pk, "FR"),
    }
    ro = EuropeanQualityLabelCandidate.objects.get(country__code="RO")
    assert ro.average_score == 25


def test_nso_nominates_within_quota_and_above_twenty_then_staff_award():
    from tests.factories.accounts import UserFactory

    project, ro_teacher, fr_teacher = european_project()
    make_awarded(ro_teacher, project, make_evaluator("RO"), total_each=5)
    make_awarded(fr_teacher, project, make_evaluator("FR"), total_each=4)
    services.find_european_candidates(school_year_of())
    ro, fr = (
        EuropeanQualityLabelCandidate.objects.get(country__code=c) for c in ("RO", "FR")
    )
    with pytest.raises(services.QualityLabelRefused) as exc:
        services.nominate_for_european_label(fr, actor=make_evaluator("FR"))
    assert exc.value.code == "eql_score"  # 20 is not above 20
    with pytest.raises(services.QualityLabelRefused):
        services.nominate_for_european_label(ro, actor=make_evaluator("FR"))
    assert (
        services.nominate_for_european_label(ro, actor=make_evaluator("RO")).status
        == EQLCandidateStatus.NOMINATED
    )
    staff = UserFactory(is_staff=True, is_superuser=True)
    label = services.award_european_label(project, school_year_of(), actor=staff)
    assert project.european_labels.get() == label


def test_nomination_quota_is_a_quarter_at_least_one():
    assert [services.nomination_quota(n) for n in (0, 1, 3, 4, 9)] == [0, 1, 1, 1, 2]


def test_teacher_holding_the_label_issues_pupil_certificates(client):
    project, teacher, partner = european_project()
    app = make_awarded(teacher, project, make_evaluator("RO"))
    certs = services.issue_pupil_certificates(
        app, actor=teacher, names=["Ana Pop", " "]
    )
    assert [c.pupil_name for c in certs] == ["Ana Pop"]
    client.login(username=teacher.username, password=PASSWORD)
    pdf = client.get(
        reverse("labels:quality_pupil_certificate", args=[app.pk, certs[0].pk])
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    teacher_pdf = client.get(reverse("labels:quality_certificate", args=[app.pk]))
    assert teacher_pdf.content.startswith(b"%PDF")
    with pytest.raises(services.QualityLabelRefused):
        services.issue_pupil_certificates(app, actor=partner, names=["X"])


def test_certificate_of_a_label_not_awarded_is_not_found(client):
    project, teacher, _b = european_project()
    app = make_submitted(teacher, project)
    client.login(username=teacher.username, password=PASSWORD)
    assert (
        client.get(reverse("labels:quality_certificate", args=[app.pk])).status_code
        == 404
    )
