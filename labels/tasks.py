"""Celery tasks of the labels app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

# --- Quality Label ----------------------------------------------------------


@shared_task(name="labels.find_european_candidates")
def task_find_european_candidates(*, school_year: int | None = None) -> int:
    """R26, once a year (beat): list the European Quality Label candidates of the
    school year that has just ended; returns how many candidate rows exist."""
    from labels.models.quality import school_year_of
    from labels.services.quality import find_european_candidates

    year = (
        school_year if school_year is not None else school_year_of(timezone.now()) - 1
    )
    return len(find_european_candidates(year))


# --- eTwinning School Label ---------------------------------------------------


@shared_task(name="labels.select_stage_one", acks_late=True)
def task_select_stage_one(campaign_id: int) -> str:
    """R28, R29: stage one of a campaign (idempotent: a redelivered or repeated run adds nothing)."""
    from labels.models import SchoolLabelCampaign
    from labels.services.school import select_stage_one

    campaign = SchoolLabelCampaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return "campaign deleted"
    return select_stage_one(campaign).summary()


@shared_task(name="labels.start_due_stage_ones")
def task_start_due_stage_ones() -> list[int]:
    """Daily (beat): start stage one of every open campaign that has not finished it yet."""
    from labels.services.school import campaigns_due_for_stage_one

    ids = list(campaigns_due_for_stage_one().values_list("pk", flat=True))
    for campaign_id in ids:
        task_select_stage_one.delay(campaign_id)
    return ids
