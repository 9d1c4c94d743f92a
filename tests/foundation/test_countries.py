"""The 46 countries survive the flush that ends every transactional test."""

import pytest
from django.core.management import call_command

from accounts.models import Country


@pytest.mark.django_db(transaction=True)
def test_countries_are_back_after_a_flush():
    call_command("flush", "--noinput", verbosity=0)
    assert Country.objects.count() == 46
    assert Country.objects.get(code="MD").name == "Moldova"
