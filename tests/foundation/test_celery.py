"""A task travels through the broker to a real worker and its result comes back."""

import pytest

from etwinning.celery import ping


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_real_worker_through_broker(celery_worker_app):
    result = ping.delay("hello from the portal")
    assert result.get(timeout=20) == "hello from the portal"
    assert result.successful()
