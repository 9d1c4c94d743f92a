"""Stage one through the broker on a real Celery worker (R28, R29), twice."""

from __future__ import annotations

import pytest
from django.core import mail

from labels.models import SchoolEligibility, SchoolLabelInvitation
from labels.tasks import task_select_stage_one
from tests.factories.accounts import SchoolFactory, make_teacher
from tests.factories.labels import (
    ensure_countries,
    make_campaign,
    make_selectable_school,
)


@pytest.mark.django_db(transaction=True)
def test_stage_one_on_a_real_worker_and_a_second_run_changes_nothing(celery_worker_app):
    ensure_countries()
    campaign = make_campaign()
    selected, _people = make_selectable_school(campaign)
    make_teacher(selected)  # a fourth teacher, not active, invited all the same
    make_selectable_school(campaign, teachers=2)  # one active teacher short
    SchoolFactory.create_batch(5)

    summary = task_select_stage_one.delay(campaign.pk).get(timeout=60)

    assert (
        "7 schools assessed, 1 selected, 4 new invitations, 4 e-mails sent" in summary
    )
    # Stored: the two schools with an NQL project (the selected one and the one short).
    assert SchoolEligibility.objects.filter(campaign=campaign).count() == 2
    invitations = list(
        SchoolLabelInvitation.objects.order_by("pk").values_list(
            "pk", "teacher_id", "mailed_at"
        )
    )
    assert len(invitations) == 4
    assert all(mailed_at for _pk, _t, mailed_at in invitations)
    assert len(mail.outbox) == 4
    campaign.refresh_from_db()
    assert campaign.stage_one_finished_at is not None
    assert (campaign.selected_count, campaign.invited_count) == (1, 4)

    again = task_select_stage_one.delay(campaign.pk).get(timeout=60)

    assert "0 new invitations, 0 e-mails sent" in again
    assert (
        list(
            SchoolLabelInvitation.objects.order_by("pk").values_list(
                "pk", "teacher_id", "mailed_at"
            )
        )
        == invitations
    )
    assert len(mail.outbox) == 4
