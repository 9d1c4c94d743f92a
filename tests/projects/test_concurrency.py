"""R9a under load: two NSOs approving one project at the same moment open it exactly once;
two teachers accepting the same proposal's invitations cannot make three founders."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from projects import services, signals
from projects.enums import MemberRole, ProjectStatus
from projects.models import Project
from tests.factories.accounts import SchoolFactory, country, make_teacher
from tests.markers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def teacher_in(code: str):
    return make_teacher(SchoolFactory(country=country(code)))


def run_together(*calls):
    """Run the calls in threads released by one barrier; return their errors."""
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


def test_two_nsos_approving_at_once_open_the_project_once():
    a, b = teacher_in("RO"), teacher_in("IT")
    project = services.propose_project(proposer=a, title="Rivers", description="d")
    services.answer_invitation(
        services.invite_cofounder(project, b, inviter=a), accept=True, actor=b
    )
    ro, it = (project.approvals.get(country__code=c) for c in ("RO", "IT"))
    opened = []

    def on_open(sender, project, **kwargs):
        opened.append(project.pk)

    signals.project_opened.connect(on_open)
    try:
        errors = run_together(
            lambda: services.decide_approval(ro, approve=True, actor=a),
            lambda: services.decide_approval(it, approve=True, actor=b),
        )
    finally:
        signals.project_opened.disconnect(on_open)
    assert errors == []
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    assert opened == [project.pk]


def test_two_invitees_accepting_at_once_make_one_cofounder():
    """Only one co-founder invitation can be pending, but a founder could cancel and
    re-invite while the first invitee accepts: the project row lock keeps two founders."""
    a, b, c = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    project = services.propose_project(proposer=a, title="Rivers", description="d")
    first = services.invite_cofounder(project, b, inviter=a)
    services.cancel_invitation(first, actor=a)
    # Reopen the first invitation behind the service's back: the worst interleaving.
    second = services.invite_cofounder(project, c, inviter=a)
    type(first).objects.filter(pk=first.pk).update(status="pending")
    errors = run_together(
        lambda: services.answer_invitation(first, accept=True, actor=b),
        lambda: services.answer_invitation(second, accept=True, actor=c),
    )
    assert len(errors) == 1
    assert isinstance(errors[0], services.ProjectRuleError)
    assert (
        Project.objects.get(pk=project.pk)
        .members.filter(role=MemberRole.FOUNDER)
        .count()
        == 2
    )
