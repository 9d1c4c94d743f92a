"""R3: two teachers registering the same new school at the same moment end with one school."""

import threading

import pytest
from django.db import connection

from accounts import services
from accounts.enums import MembershipStatus, SchoolLevel
from accounts.models import School, SchoolMembership
from tests.factories.accounts import TeacherProfileFactory, UserFactory, country
from tests.markers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_registrations_of_one_new_school_make_one_school(monkeypatch):
    teachers = [UserFactory(username=f"racer{i}") for i in range(2)]
    for teacher in teachers:
        TeacherProfileFactory(user=teacher)
    ro = country("RO")
    # Two spellings of one school: the database compares their keys.
    names = ["Liceul Teoretic Avram Iancu", "  liceul teoretic AVRAM iancu "]
    barrier = threading.Barrier(2)
    # Both threads pass the service's "already registered?" look-up before either inserts
    # (the worst interleaving): only the database's unique constraint can keep one school.
    real_lookup = services.school_by_keys
    looked = threading.local()

    def lookup_after_the_other_looked(*args):
        if not getattr(looked, "once", False):
            looked.once = True
            barrier.wait(timeout=10)
            return None
        return real_lookup(*args)

    monkeypatch.setattr(services, "school_by_keys", lookup_after_the_other_looked)
    results, errors = [None, None], []

    def register(i: int) -> None:
        try:
            registration = services.register_school(
                name=names[i],
                country=ro,
                city="Cluj-Napoca" if i == 0 else "cluj napoca",
                level=SchoolLevel.UPPER_SECONDARY,
                registered_by=teachers[i],
            )
            services.request_school_membership(teachers[i], registration.school)
            results[i] = registration
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert School.objects.count() == 1
    school = School.objects.get()
    assert {r.school.pk for r in results} == {school.pk}
    assert sorted(r.created for r in results) == [False, True]
    assert (
        SchoolMembership.objects.filter(
            school=school, status=MembershipStatus.PENDING
        ).count()
        == 2
    )
