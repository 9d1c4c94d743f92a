"""Two colleagues start their school's application at the same moment (R30), on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from labels.models import SchoolLabelApplication
from labels.services import school as services
from tests.factories.labels import (
    ensure_countries,
    make_campaign,
    make_selectable_school,
)
from tests.markers import requires_postgres


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_end_with_one_application():
    ensure_countries()
    campaign = make_campaign()
    school, (_head, teacher, colleague) = make_selectable_school(campaign)
    services.select_stage_one(campaign)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def start(user):
        try:
            barrier.wait(timeout=10)
            application, created = services.start_application(
                campaign, school, actor=user
            )
            results.append((application.pk, created))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(u,)) for u in (teacher, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, True]
    assert (
        SchoolLabelApplication.objects.filter(campaign=campaign, school=school).count()
        == 1
    )
    application = SchoolLabelApplication.objects.get()
    assert application.sections.count() == 6
