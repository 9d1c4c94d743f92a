"""R8, R9, R9a, R11: founding, the kind rule, NSO approval, partners and closing."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.enums import MembershipStatus
from accounts.models import Country
from projects import services, signals
from projects.enums import (
    ApprovalStatus,
    InvitationKind,
    InvitationStatus,
    MemberRole,
    ProjectKind,
    ProjectStatus,
)
from projects.models import Invitation, ProjectApproval, ProjectStatusChange
from tests.factories.accounts import SchoolFactory, country, make_teacher

pytestmark = pytest.mark.django_db


def teacher_in(code: str, **kwargs):
    return make_teacher(SchoolFactory(country=country(code)), **kwargs)


def propose(founder, **kwargs):
    return services.propose_project(
        proposer=founder,
        title="Rivers",
        description="Pupils map rivers.",
        subjects=["geography"],
        languages=["en"],
        age_min=10,
        age_max=12,
        **kwargs,
    )


def found(a, b, *, approval: bool = False):
    """A proposes, invites B, B accepts; approval off unless asked."""
    if not approval:
        Country.objects.update(requires_project_approval=False)
    project = propose(a)
    invitation = services.invite_cofounder(project, b, inviter=a)
    services.answer_invitation(invitation, accept=True, actor=b)
    project.refresh_from_db()
    return project


@pytest.fixture
def received():
    """Collect the projects app's signals as (name, kwargs)."""
    events = []

    def make(name):
        def handler(sender, **kwargs):
            events.append((name, kwargs))

        return handler

    handlers = {
        "opened": make("opened"),
        "member": make("member"),
        "closed": make("closed"),
    }
    signals.project_opened.connect(handlers["opened"])
    signals.project_member_added.connect(handlers["member"])
    signals.project_closed.connect(handlers["closed"])
    yield events
    signals.project_opened.disconnect(handlers["opened"])
    signals.project_member_added.disconnect(handlers["member"])
    signals.project_closed.disconnect(handlers["closed"])


# --- R8: the kind rule ----------------------------------------------------------------


def test_founders_in_two_countries_found_a_european_project():
    project = found(teacher_in("RO"), teacher_in("IT"))
    assert project.kind == ProjectKind.EUROPEAN
    assert project.founded_at is not None
    assert project.members.filter(role=MemberRole.FOUNDER).count() == 2


def test_founders_in_one_country_found_a_national_project():
    project = found(teacher_in("RO"), teacher_in("RO"))
    assert project.kind == ProjectKind.NATIONAL


def test_national_project_joined_later_by_a_foreign_partner_stays_national():
    a, b, foreign = teacher_in("RO"), teacher_in("RO"), teacher_in("TR")
    project = found(a, b)
    invitation = services.invite_partner(project, foreign, inviter=a)
    services.answer_invitation(invitation, accept=True, actor=foreign)
    project.refresh_from_db()
    assert project.kind == ProjectKind.NATIONAL
    assert project.members.filter(school__country__code="TR").exists()


def test_cofounder_of_the_same_school_is_refused():
    a = teacher_in("RO")
    b = make_teacher(a.memberships.get().school)
    project = propose(a)
    with pytest.raises(services.ProjectRuleError, match="another school"):
        services.invite_cofounder(project, b, inviter=a)


def test_pending_teacher_cannot_be_invited_as_cofounder():
    a, pending = teacher_in("RO"), teacher_in("IT", status=MembershipStatus.PENDING)
    project = propose(a)
    with pytest.raises(services.ProjectRuleError, match="not a validated teacher"):
        services.invite_cofounder(project, pending, inviter=a)


def test_declined_cofounder_invitation_leaves_the_proposal_open_for_another():
    a, b, c = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    project = propose(a)
    first = services.invite_cofounder(project, b, inviter=a)
    services.answer_invitation(first, accept=False, actor=b)
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED
    second = services.invite_cofounder(project, c, inviter=a)
    assert second.status == InvitationStatus.PENDING


# --- R9a: NSO approval ----------------------------------------------------------------


def test_accepted_cofounder_waits_for_one_approval_per_founder_country(received):
    project = found(teacher_in("RO"), teacher_in("IT"), approval=True)
    assert project.status == ProjectStatus.AWAITING_APPROVAL
    assert sorted(project.approvals.values_list("country__code", flat=True)) == [
        "IT",
        "RO",
    ]
    assert not [e for e in received if e[0] == "opened"]


def test_only_countries_requiring_approval_get_an_approval_row():
    Country.objects.filter(code="IT").update(requires_project_approval=False)
    project = propose(teacher_in("RO"))
    b = teacher_in("IT")
    inv = services.invite_cofounder(project, b, inviter=project.created_by)
    services.answer_invitation(inv, accept=True, actor=b)
    assert list(project.approvals.values_list("country__code", flat=True)) == ["RO"]


def test_project_opens_when_every_country_approved(
    received, django_capture_on_commit_callbacks
):
    evaluator = teacher_in("RO")  # any user may be recorded as actor by the service
    with django_capture_on_commit_callbacks(execute=True):
        project = found(teacher_in("RO"), teacher_in("IT"), approval=True)
        ro, it = project.approvals.order_by("country__code").reverse()
        services.decide_approval(ro, approve=True, actor=evaluator)
    project.refresh_from_db()
    assert project.status == ProjectStatus.AWAITING_APPROVAL
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_approval(it, approve=True, actor=evaluator)
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE
    assert [e[1]["project"].pk for e in received if e[0] == "opened"] == [project.pk]
    assert any("is open" in m.subject for m in mail.outbox)


def test_project_opens_at_once_when_no_country_requires_approval(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = found(teacher_in("RO"), teacher_in("IT"))
    assert project.status == ProjectStatus.ACTIVE
    assert not ProjectApproval.objects.exists()
    assert [e[0] for e in received].count("opened") == 1
    # Both founders are announced to the TwinSpace.
    assert sorted(
        e[1]["member"].teacher_id for e in received if e[0] == "member"
    ) == sorted(project.members.values_list("teacher_id", flat=True))


def test_one_rejection_stops_the_project_and_says_why():
    project = found(teacher_in("RO"), teacher_in("IT"), approval=True)
    approval = project.approvals.first()
    services.decide_approval(
        approval, approve=False, actor=project.created_by, note="Not a school project."
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.REJECTED
    assert project.approvals.get(pk=approval.pk).status == ApprovalStatus.REJECTED
    with pytest.raises(services.ProjectRuleError):
        services.decide_approval(
            project.approvals.exclude(pk=approval.pk).get(),
            approve=True,
            actor=project.created_by,
        )


def test_every_status_change_writes_an_audit_row():
    project = found(teacher_in("RO"), teacher_in("IT"), approval=True)
    for approval in project.approvals.all():
        services.decide_approval(approval, approve=True, actor=project.created_by)
    steps = list(
        ProjectStatusChange.objects.filter(project=project)
        .order_by("at", "id")
        .values_list("old", "new")
    )
    assert steps == [
        ("", ProjectStatus.PROPOSED),
        (ProjectStatus.PROPOSED, ProjectStatus.AWAITING_APPROVAL),
        (ProjectStatus.AWAITING_APPROVAL, ProjectStatus.ACTIVE),
    ]


# --- R9: partners -----------------------------------------------------------------------


def test_invitation_mails_the_invitee_after_commit(django_capture_on_commit_callbacks):
    a, b = teacher_in("RO"), teacher_in("IT")
    project = propose(a)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_cofounder(project, b, inviter=a, message="Let's go!")
    assert [m.to for m in mail.outbox] == [[b.email]]
    assert "co-found" in mail.outbox[0].subject
    assert project.get_absolute_url() in mail.outbox[0].body


def test_join_request_is_answered_by_a_founder_only(received):
    a, b = teacher_in("RO"), teacher_in("IT")
    project = found(a, b)
    partner, asker = teacher_in("ES"), teacher_in("PL")
    services.answer_invitation(
        services.invite_partner(project, partner, inviter=a), accept=True, actor=partner
    )
    request = services.request_to_join(project, teacher=asker, message="Hello")
    assert request.kind == InvitationKind.REQUEST
    with pytest.raises(services.ProjectRuleError, match="founder"):
        services.answer_invitation(request, accept=True, actor=partner)
    services.answer_invitation(request, accept=True, actor=b)
    member = project.members.get(teacher=asker)
    assert member.role == MemberRole.PARTNER
    assert member.school == asker.memberships.get().school


def test_a_second_pending_invitation_for_the_same_teacher_is_refused():
    a, b, c = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    project = found(a, b)
    services.invite_partner(project, c, inviter=a)
    with pytest.raises(services.ProjectRuleError, match="already has a pending"):
        services.invite_partner(project, c, inviter=b)


def test_only_the_invited_teacher_answers_an_invitation():
    a, b, c = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    project = propose(a)
    invitation = services.invite_cofounder(project, b, inviter=a)
    with pytest.raises(services.ProjectRuleError):
        services.answer_invitation(invitation, accept=True, actor=c)


# --- R11: closing ---------------------------------------------------------------------


def test_founder_closes_and_no_invitation_is_possible_after(
    received, django_capture_on_commit_callbacks
):
    a, b, c = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    project = found(a, b)
    pending = services.invite_partner(project, c, inviter=a)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_project(project, actor=b)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert project.closed_at is not None
    assert [e[0] for e in received].count("closed") == 1
    assert Invitation.objects.get(pk=pending.pk).status == InvitationStatus.CANCELLED
    with pytest.raises(services.ProjectRuleError, match="does not take new partners"):
        services.invite_partner(project, c, inviter=a)
    with pytest.raises(services.ProjectRuleError, match="does not take new partners"):
        services.request_to_join(project, teacher=c)


def test_partner_cannot_close_the_project():
    a, b, c = teacher_in("RO"), teacher_in("IT"), teacher_in("ES")
    project = found(a, b)
    services.answer_invitation(
        services.invite_partner(project, c, inviter=a), accept=True, actor=c
    )
    with pytest.raises(services.ProjectRuleError, match="Only the founders"):
        services.close_project(project, actor=c)
