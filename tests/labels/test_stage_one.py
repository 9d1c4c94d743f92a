"""Stage one of the School Label (R28, R29) on handcrafted schools at every boundary."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.enums import Role
from labels.models import SchoolEligibility, SchoolLabelInvitation
from labels.services.school import eligibility_for, select_stage_one
from projects.enums import ProjectKind
from tests.factories.accounts import SchoolFactory, make_teacher
from tests.factories.labels import (
    at,
    make_campaign,
    make_nql_project,
    make_pd,
    make_selectable_school,
)

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2025, 1, 20)
CUTOFF = datetime.date(2023, 1, 9)
NQL_FROM = datetime.date(2022, 11, 9)
NQL_UNTIL = datetime.date(2025, 1, 16)


@pytest.fixture
def campaign():
    # The real 2025-26 round (SPEC R28).
    return make_campaign(
        opens_on=OPENS,
        registered_before=CUTOFF,
        teachers_involved_since=CUTOFF,
        nql_from=NQL_FROM,
        nql_until=NQL_UNTIL,
    )


def _figures(campaign, school) -> SchoolEligibility:
    """What the school's page shows: the stored row, or its figures computed on demand."""
    campaign.refresh_from_db()
    return eligibility_for(campaign, school)


def test_cutoffs_default_to_opening_minus_two_years_and_opening():
    c = make_campaign(opens_on=datetime.date(2026, 1, 20), name="2026-2027")
    assert c.registered_before == datetime.date(2024, 1, 20)
    assert c.teachers_involved_since == datetime.date(2024, 1, 20)
    assert c.nql_from == datetime.date(2024, 1, 20)
    assert c.nql_until == datetime.date(2026, 1, 20)


def test_school_registered_on_the_cutoff_date_is_selected_and_a_day_after_is_not(
    campaign,
):
    on_time, _ = make_selectable_school(campaign)
    late, _ = make_selectable_school(campaign)
    on_time.registered_at = at(CUTOFF, hour=23)
    on_time.save()
    late.registered_at = at(CUTOFF + datetime.timedelta(days=1), hour=0)
    late.save()

    select_stage_one(campaign)

    assert _figures(campaign, on_time).selected
    late_row = _figures(campaign, late)
    assert not late_row.selected
    assert not late_row.registered_in_time
    assert late_row.active_teachers == 3
    assert late_row.nql_projects == 1


def test_three_active_teachers_select_a_school_and_two_do_not(campaign):
    three, _ = make_selectable_school(campaign, teachers=3)
    two, _ = make_selectable_school(campaign, teachers=2)

    select_stage_one(campaign)

    assert _figures(campaign, three).selected
    row = _figures(campaign, two)
    assert (row.active_teachers, row.missing_teachers, row.selected) == (2, 1, False)


def test_involvement_before_the_cutoff_does_not_count(campaign):
    school, _people = make_selectable_school(campaign, teachers=2)
    late_comer = make_teacher(school)
    make_pd(late_comer, CUTOFF - datetime.timedelta(days=1), title="Old webinar")
    on_edge = make_teacher(school)
    make_pd(on_edge, CUTOFF, title="Edge webinar")

    select_stage_one(campaign)

    assert _figures(campaign, school).active_teachers == 3


def test_project_membership_since_the_cutoff_counts_as_involvement(campaign):
    school, _people = make_selectable_school(campaign, teachers=2)
    third = make_teacher(school)
    # Joined a (national, un-labelled) project after the cut-off: involved.
    make_nql_project(
        third,
        school,
        kind=ProjectKind.NATIONAL,
        decided_at=at(OPENS - datetime.timedelta(days=10)),
        joined_at=at(CUTOFF + datetime.timedelta(days=3)),
    )

    select_stage_one(campaign)

    row = _figures(campaign, school)
    assert row.active_teachers == 3
    assert row.nql_projects == 1  # the national NQL is not counted
    assert row.selected


def test_future_teachers_inspectors_and_unvalidated_teachers_do_not_count(campaign):
    school, _ = make_selectable_school(campaign, teachers=2)
    for person in (
        make_teacher(school, role=Role.FUTURE_TEACHER),
        make_teacher(school, role=Role.INSPECTOR),
        make_teacher(school, status="pending"),
    ):
        make_pd(person, OPENS - datetime.timedelta(days=50))

    select_stage_one(campaign)

    row = _figures(campaign, school)
    assert row.active_teachers == 2
    assert not row.selected
    # Nobody of an unselected school is invited.
    assert not SchoolLabelInvitation.objects.filter(school=school).exists()


@pytest.mark.parametrize(
    ("decided", "counts"),
    [
        (at(NQL_FROM, hour=0), True),  # exactly at the start of the window
        (at(NQL_FROM - datetime.timedelta(days=1), hour=23), False),  # older
        (at(NQL_UNTIL, hour=23), True),  # last day of the window
        (at(NQL_UNTIL + datetime.timedelta(days=1), hour=0), False),  # too recent
    ],
)
def test_nql_counts_only_inside_the_window(campaign, decided, counts):
    school, _people = make_selectable_school(campaign)
    # Replace the factory's NQL by one at the boundary.
    from labels.models import QualityLabelApplication

    QualityLabelApplication.objects.filter(school=school).update(decided_at=decided)

    select_stage_one(campaign)

    row = _figures(campaign, school)
    assert row.nql_projects == (1 if counts else 0)
    assert row.selected is counts


def test_a_national_nql_project_does_not_count(campaign):
    school, people = make_selectable_school(campaign)
    from labels.models import QualityLabelApplication

    QualityLabelApplication.objects.filter(school=school).delete()
    make_nql_project(
        people[1],
        school,
        kind=ProjectKind.NATIONAL,
        decided_at=at(OPENS - datetime.timedelta(days=40)),
    )

    select_stage_one(campaign)

    row = _figures(campaign, school)
    assert (row.nql_projects, row.missing_nql, row.selected) == (0, 1, False)


def test_nql_of_a_partner_counts_for_every_school_in_the_project(campaign):
    """The school took part in a European project awarded the NQL through another teacher."""
    school, people = make_selectable_school(campaign)
    from labels.models import QualityLabelApplication
    from projects.models import ProjectMember

    QualityLabelApplication.objects.filter(school=school).delete()
    partner_school = SchoolFactory(country_id=school.country_id)
    partner = make_teacher(partner_school)
    project = make_nql_project(
        partner, partner_school, decided_at=at(OPENS - datetime.timedelta(days=40))
    )
    ProjectMember.objects.create(project=project, teacher=people[1], school=school)

    select_stage_one(campaign)

    assert _figures(campaign, school).nql_projects == 1
    assert _figures(campaign, partner_school).nql_projects == 1


def test_only_schools_that_can_be_selected_are_stored_the_others_computed_on_demand(
    campaign,
):
    selected, _ = make_selectable_school(campaign)
    short, _ = make_selectable_school(campaign, teachers=2)  # has its NQL: a candidate
    empty = SchoolFactory()
    busy_without_nql = SchoolFactory()
    for _i in range(3):
        make_pd(make_teacher(busy_without_nql), on=OPENS)

    assert eligibility_for(campaign, empty) is None  # stage one has not run yet

    result = select_stage_one(campaign)

    assert result.schools == 4
    assert result.selected == 1
    stored = set(
        SchoolEligibility.objects.filter(campaign=campaign).values_list(
            "school_id", flat=True
        )
    )
    assert stored == {selected.pk, short.pk}
    row = _figures(campaign, empty)
    assert row.pk is None
    assert (row.active_teachers, row.nql_projects, row.selected) == (0, 0, False)
    row = _figures(campaign, busy_without_nql)
    assert (row.active_teachers, row.nql_projects, row.selected) == (3, 0, False)
    assert not row.registered_in_time  # the factory registers schools today
    assert _figures(campaign, short).active_teachers == 2


def test_a_stored_school_that_loses_its_nql_is_updated_by_the_next_run(campaign):
    school, _ = make_selectable_school(campaign)
    select_stage_one(campaign)
    from labels.models import QualityLabelApplication

    QualityLabelApplication.objects.update(
        decided_at=at(NQL_FROM - datetime.timedelta(days=9))
    )
    SchoolLabelInvitation.objects.all().delete()

    select_stage_one(campaign)

    row = SchoolEligibility.objects.get(campaign=campaign, school=school)
    assert (row.nql_projects, row.selected) == (0, False)


def test_every_validated_teacher_of_a_selected_school_is_invited_and_mailed_once(
    campaign,
):
    school, people = make_selectable_school(campaign)
    quiet = make_teacher(school)  # not active, still invited (R29)
    make_teacher(school, status="pending")  # not validated: not invited

    result = select_stage_one(campaign)

    invited = set(
        SchoolLabelInvitation.objects.filter(campaign=campaign).values_list(
            "teacher_id", flat=True
        )
    )
    assert invited == {p.pk for p in [*people, quiet]}
    assert result.mailed == 4
    assert len(mail.outbox) == 4
    assert not SchoolLabelInvitation.objects.filter(mailed_at__isnull=True).exists()


def test_invitations_are_mailed_through_one_connection_per_batch(campaign, monkeypatch):
    from django.core.mail import get_connection

    from labels.services import school as services

    for _i in range(3):
        make_selectable_school(campaign)  # 3 schools x 3 teachers
    opened = []

    def counting_connection(*args, **kwargs):
        opened.append(1)
        return get_connection(*args, **kwargs)

    monkeypatch.setattr(services, "get_connection", counting_connection)
    with transaction.atomic():
        services.compute_eligibility(campaign)
        services.invite_selected_teachers(campaign)

    def commit_setting() -> str:
        if connection.vendor != "postgresql":
            return ""
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    before = commit_setting()
    assert services.mail_invitations(campaign, batch=4) == 9
    assert len(opened) == 3  # batches of 4, 4 and 1
    assert len(mail.outbox) == 9
    # The faster marks are for the mailing only: the connection is left as it was.
    assert commit_setting() == before


def test_a_second_run_changes_nothing(campaign):
    make_selectable_school(campaign)
    select_stage_one(campaign)
    first = list(
        SchoolLabelInvitation.objects.order_by("pk").values_list("pk", "mailed_at")
    )
    mail.outbox.clear()

    result = select_stage_one(campaign)

    assert (result.invited_new, result.mailed) == (0, 0)
    assert mail.outbox == []
    assert (
        list(
            SchoolLabelInvitation.objects.order_by("pk").values_list("pk", "mailed_at")
        )
        == first
    )


def test_a_school_already_invited_is_not_invited_or_mailed_again_and_stays_selected(
    campaign,
):
    school, people = make_selectable_school(campaign)
    select_stage_one(campaign)
    mail.outbox.clear()
    # Since then one teacher left the active set: the school no longer meets the criteria.
    from labels.models import PDParticipation

    PDParticipation.objects.filter(teacher=people[2]).delete()

    select_stage_one(campaign)

    row = _figures(campaign, school)
    assert row.active_teachers == 2
    assert row.selected  # its teachers were invited: the selection holds
    assert SchoolLabelInvitation.objects.filter(school=school).count() == 3
    assert mail.outbox == []


def test_a_run_killed_before_mailing_is_completed_by_the_next(campaign, monkeypatch):
    make_selectable_school(campaign)
    from labels.services import school as services

    calls = {"n": 0}
    real = services.send_user_mail

    def dies_after_one(user, template, ctx=None, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(user, template, ctx, **kwargs)

    monkeypatch.setattr(services, "send_user_mail", dies_after_one)
    with pytest.raises(SystemExit):
        select_stage_one(campaign)
    assert SchoolLabelInvitation.objects.filter(mailed_at__isnull=False).count() == 1
    monkeypatch.setattr(services, "send_user_mail", real)

    result = select_stage_one(campaign)

    assert result.mailed == 2
    assert len(mail.outbox) == 3  # one before the crash, two after: nobody twice
    assert len({m.to[0] for m in mail.outbox}) == 3


def test_stage_one_runs_a_fixed_number_of_queries_whatever_the_number_of_schools(
    campaign,
):
    """Set-wise: the number of statements does not grow with schools (only mails do)."""
    for _i in range(3):
        make_selectable_school(campaign)
    SchoolFactory.create_batch(20)
    from labels.services.school import compute_eligibility, invite_selected_teachers

    with CaptureQueriesContext(connection) as small:
        compute_eligibility(campaign)
        invite_selected_teachers(campaign)
    SchoolFactory.create_batch(200)
    for _i in range(3):
        make_selectable_school(campaign)
    with CaptureQueriesContext(connection) as large:
        compute_eligibility(campaign)
        invite_selected_teachers(campaign)
    # (PostgreSQL: jit off and work_mem for the transaction), upsert of figures, keep earlier selections,
    # insert invitations
    assert len(small) == len(large) <= 4


def test_management_command_prints_progress_and_a_summary(campaign, capsys):
    make_selectable_school(campaign)
    call_command("school_label_stage_one", campaign.name)
    out = capsys.readouterr().out
    assert "Computing every school's figures" in out
    assert out.strip().splitlines()[-1].startswith("Stage one of 2025-2026:")
    assert "1 selected" in out


def test_beat_task_starts_stage_one_only_for_open_campaigns_not_yet_run():
    from labels.tasks import task_start_due_stage_ones

    due = make_campaign(name="due")
    make_campaign(
        name="future", opens_on=datetime.date.today() + datetime.timedelta(days=5)
    )
    make_selectable_school(due)

    assert task_start_due_stage_ones() == [due.pk]
    due.refresh_from_db()
    assert due.stage_one_finished_at is not None
    assert due.selected_count == 1
    assert task_start_due_stage_ones() == []
