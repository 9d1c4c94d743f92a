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
