"""R13 under load: the last teacher administrator survives two demotions at once."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories.twinspace import make_twinspace
from tests.markers import requires_postgres
from twinspace import services
from twinspace.enums import MemberRole
from twinspace.models import TwinSpaceMember


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_administrators_demoting_each_other_at_once_leave_one():
    world = make_twinspace()
    ts = world.twinspace
    admin_a = TwinSpaceMember.objects.get(twinspace=ts, user=world.admin)
    admin_b = TwinSpaceMember.objects.get(twinspace=ts, user=world.cofounder)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def demote(member, actor):
        try:
            barrier.wait()
            services.change_member_role(member, actor=actor)
            results.append("done")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(admin_a, world.cofounder)),
        threading.Thread(target=demote, args=(admin_b, world.admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["done", "refused"]
    assert (
        TwinSpaceMember.objects.filter(
            twinspace=ts, role=MemberRole.TEACHER_ADMIN
        ).count()
        == 1
    )


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_project_opened_twice_at_once_makes_one_twinspace():
    from projects.models import Project
    from tests.factories.accounts import make_teacher
    from tests.factories.projects import make_founded_project
    from twinspace.models import TwinSpace

    project = make_founded_project(make_teacher(), make_teacher())
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def open_it():
        try:
            barrier.wait()
            services.ensure_twinspace(Project.objects.get(pk=project.pk))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    twinspace = TwinSpace.objects.get(project=project)
    assert twinspace.members.filter(role=MemberRole.TEACHER_ADMIN).count() == 2
