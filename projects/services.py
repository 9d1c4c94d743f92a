"""Every state change of the projects app (R7-R11): atomic, audited, mail after commit.

Views call these functions; none of them takes a request. Each raises ProjectRuleError with
a message fit for the page when a rule refuses the change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipStatus
from accounts.models import Country, School, User
from accounts.rules import is_validated_teacher
from accounts.tasks import task_send_user_mail
from projects import signals
from projects.enums import (
    ALLOWED,
    ApprovalStatus,
    IdeaReplyStatus,
    InvitationKind,
    InvitationStatus,
    MemberRole,
    ProjectKind,
    ProjectStatus,
)
from projects.models import (
    IdeaReply,
    Invitation,
    Project,
    ProjectApproval,
    ProjectIdea,
    ProjectMember,
    ProjectStatusChange,
)


class ProjectRuleError(Exception):
    """A rule refused the change; `message` is shown to the user as it is."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# ---------------------------------------------------------------------------- helpers


def teaching_schools(user: User) -> list[School]:
    """The schools a teacher may represent in a project: validated links, main first."""
    return [
        m.school
        for m in user.memberships.filter(status=MembershipStatus.VALIDATED)
        .select_related("school__country")
        .order_by("-is_main", "joined_at")
    ]


def _school_for(user: User, school: School | None = None) -> School:
    schools = teaching_schools(user)
    if not schools:
        raise ProjectRuleError(
            _(
                "Your account is waiting for validation by your National Support "
                "Organisation: you cannot found or join projects yet."
            )
        )
    if school is None:
        return schools[0]
    if school.pk not in {s.pk for s in schools}:
        raise ProjectRuleError(_("You can only represent a school you work at."))
    return school


def _require_validated(user: User) -> None:
    if not is_validated_teacher(user):
        raise ProjectRuleError(
            _(
                "Only validated teachers can found or join projects. Your account is "
                "waiting for validation, or your role (future teacher, inspector) does "
                "not take part in projects."
            )
        )


def _mail(user: User, template: str, context: dict) -> None:
    """Queue a mail to `user` once the transaction commits (never for a rolled-back change)."""
    user_id = user.pk
    transaction.on_commit(
        lambda: task_send_user_mail.delay(
            user_id=user_id, template=template, context=context
        )
    )


def _project_ctx(project: Project, **extra: Any) -> dict:
    return {
        "project_title": project.title,
        "project_url": settings.SITE_URL + project.get_absolute_url(),
        "dashboard_url": settings.SITE_URL + reverse("dashboard"),
        **extra,
    }


def transition_project(
    project: Project, new: str, *, actor: User | None, note: str = ""
) -> Project:
    """Change a project's status along ALLOWED and write a ProjectStatusChange row."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if new not in ALLOWED.get(locked.status, ()):
            raise ProjectRuleError(
                _("This project cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": locked.get_status_display(),
                    "new": ProjectStatus(new).label,
                }
            )
        ProjectStatusChange.objects.create(
            project=locked, old=locked.status, new=new, actor=actor, note=note
        )
        locked.status = new
        fields = ["status"]
        if new == ProjectStatus.CLOSED:
            locked.closed_at = timezone.now()
            fields.append("closed_at")
        locked.save(update_fields=fields)
    project.status, project.closed_at = locked.status, locked.closed_at
    return locked


# ------------------------------------------------------------------------- R8 founding


def validate_project_plan(
    *,
    age_min: int,
    age_max: int,
    planned_start: date | None,
    planned_end: date | None,
) -> list[tuple[str, str]]:
    """(field, message) for each impossible part of a plan (the form and the service use it)."""
    errors = []
    if age_min > age_max:
        errors.append(
            ("age_max", _("The pupils' age “from” must not be above the age “to”."))
        )
    if planned_start and planned_end and planned_end <= planned_start:
        errors.append(
            ("planned_end", _("The planned end must come after the planned start."))
        )
    return [(field, str(message)) for field, message in errors]


def propose_project(
    *,
    proposer: User,
    title: str,
    description: str,
    objectives: str = "",
    subjects: list[str] | None = None,
    age_min: int = 7,
    age_max: int = 11,
    languages: list[str] | None = None,
    planned_start: date | None = None,
    planned_end: date | None = None,
    school: School | None = None,
    cofounder: User | None = None,
    message: str = "",
) -> Project:
    """R8: a validated teacher proposes a project; they are its first founder.

    Side effects: a ProjectMember (founder) for the proposer, a status audit row, and, when
    `cofounder` is given, the co-founder invitation with its mail.
    """
    _require_validated(proposer)
    school = _school_for(proposer, school)
    errors = validate_project_plan(
        age_min=age_min,
        age_max=age_max,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    if errors:
        raise ProjectRuleError(" ".join(message for _f, message in errors))
    with transaction.atomic():
        project = Project.objects.create(
            title=title,
            description=description,
            objectives=objectives,
            subjects=list(subjects or []),
            age_min=age_min,
            age_max=age_max,
            languages=list(languages or []),
            planned_start=planned_start,
            planned_end=planned_end,
            status=ProjectStatus.PROPOSED,
            created_by=proposer,
        )
        ProjectMember.objects.create(
            project=project, teacher=proposer, school=school, role=MemberRole.FOUNDER
        )
        ProjectStatusChange.objects.create(
            project=project, old="", new=ProjectStatus.PROPOSED, actor=proposer
        )
        if cofounder is not None:
            invite_cofounder(project, cofounder, inviter=proposer, message=message)
    return project


def invite_cofounder(
    project: Project, teacher: User, *, inviter: User, message: str = ""
) -> Invitation:
    """R8: invite a teacher of ANOTHER school to co-found a proposed project."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != ProjectStatus.PROPOSED:
            raise ProjectRuleError(_("This project already has its two founders."))
        if not project.members.filter(
            teacher=inviter, role=MemberRole.FOUNDER
        ).exists():
            raise ProjectRuleError(_("Only the founder can invite a co-founder."))
        if project.invitations.filter(
            kind=InvitationKind.COFOUNDER, status=InvitationStatus.PENDING
        ).exists():
            raise ProjectRuleError(
                _(
                    "A co-founder invitation is already waiting for an answer; cancel it "
                    "before inviting someone else."
                )
            )
        if teacher.pk == inviter.pk:
            raise ProjectRuleError(_("You cannot invite yourself."))
        if not is_validated_teacher(teacher):
            raise ProjectRuleError(
                _("%(name)s is not a validated teacher and cannot found projects.")
                % {"name": teacher.display_name}
            )
        founder_school_id = project.members.get(teacher=inviter).school_id
        if all(s.pk == founder_school_id for s in teaching_schools(teacher)):
            raise ProjectRuleError(
                _("The co-founder must be a teacher of another school.")
            )
        return _create_invitation(
            project,
            teacher,
            kind=InvitationKind.COFOUNDER,
            sent_by=inviter,
            message=message,
        )


def _create_invitation(
    project: Project,
    teacher: User,
    *,
    kind: str,
    sent_by: User,
    message: str = "",
    school: School | None = None,
) -> Invitation:
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                project=project,
                teacher=teacher,
                kind=kind,
                sent_by=sent_by,
                message=message,
                school=school,
            )
    except IntegrityError:
        raise ProjectRuleError(
            _("%(name)s already has a pending invitation or request for this project.")
            % {"name": teacher.display_name}
        ) from None
    ctx = _project_ctx(
        project,
        sender_name=sent_by.display_name,
        teacher_name=teacher.display_name,
        kind=kind,
        message=message,
    )
    if kind == InvitationKind.REQUEST:
        for founder in User.objects.filter(
            project_memberships__project=project,
            project_memberships__role=MemberRole.FOUNDER,
        ):
            _mail(founder, "projects/mail/join_request", ctx)
    else:
        _mail(teacher, "projects/mail/invitation", ctx)
    return invitation


def found_project(
    project: Project, *, cofounder: User, school: School, actor: User
) -> Project:
    """R8 + R9a: the co-founder joins; the kind is fixed here, once, and never recomputed.

    EUROPEAN when the two founders' schools are in different countries, NATIONAL otherwise.
    Then either one ProjectApproval per founder country whose NSO approves new projects
    (status AWAITING_APPROVAL) or, when no country requires it, the project opens at once.
    Sends project_member_added for both founders (after commit).
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.kind:
            raise ProjectRuleError(_("This project has already been founded."))
        first = project.members.select_related("school__country").get(
            role=MemberRole.FOUNDER
        )
        if first.school_id == school.pk:
            raise ProjectRuleError(
                _("The two founders must be teachers of two different schools.")
            )
        second = ProjectMember.objects.create(
            project=project, teacher=cofounder, school=school, role=MemberRole.FOUNDER
        )
        countries = {first.school.country_id, school.country_id}
        project.kind = (
            ProjectKind.EUROPEAN if len(countries) == 2 else ProjectKind.NATIONAL
        )
        project.founded_at = timezone.now()
        project.save(update_fields=["kind", "founded_at"])
        needing = list(
            Country.objects.filter(pk__in=countries, requires_project_approval=True)
        )
        for member in (first, second):
            _send_member_added(project, member)
        if needing:
            ProjectApproval.objects.bulk_create(
                [ProjectApproval(project=project, country=c) for c in needing]
            )
            transition_project(project, ProjectStatus.AWAITING_APPROVAL, actor=actor)
            project.status = ProjectStatus.AWAITING_APPROVAL
        else:
            open_project(project, actor=actor)
            project.refresh_from_db()
    return project


def _send_member_added(project: Project, member: ProjectMember) -> None:
    transaction.on_commit(
        lambda: signals.project_member_added.send(
            sender=Project, project=project, member=member
        )
    )


def open_project(project: Project, *, actor: User | None, note: str = "") -> Project:
    """R9a/R10: the project becomes ACTIVE; project_opened (TwinSpace) after commit."""
    with transaction.atomic():
        project = transition_project(
            project, ProjectStatus.ACTIVE, actor=actor, note=note
        )
        transaction.on_commit(
            lambda: signals.project_opened.send(sender=Project, project=project)
        )
        for founder in User.objects.filter(
            project_memberships__project=project,
            project_memberships__role=MemberRole.FOUNDER,
        ):
            _mail(founder, "projects/mail/project_opened", _project_ctx(project))
    return project


def decide_approval(
    approval: ProjectApproval, *, approve: bool, actor: User, note: str = ""
) -> ProjectApproval:
    """R9a: an NSO evaluator approves or rejects its country's part.

    All approved: the project opens (open_project). One rejected: the project is REJECTED.
    The caller checks the evaluator's country (the admin does so through CountryScopedAdmin).
    """
    with transaction.atomic():
        approval = ProjectApproval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != ApprovalStatus.PENDING:
            raise ProjectRuleError(_("This project has already been decided."))
        # Lock the project so two countries deciding at once see each other's decision.
        project = Project.objects.select_for_update().get(pk=approval.project_id)
        if project.status != ProjectStatus.AWAITING_APPROVAL:
            raise ProjectRuleError(_("This project is not waiting for approval."))
        approval.status = (
            ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        )
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.note = note
        approval.save(update_fields=["status", "decided_by", "decided_at", "note"])
        if not approve:
            transition_project(project, ProjectStatus.REJECTED, actor=actor, note=note)
            for founder in User.objects.filter(
                project_memberships__project=project,
                project_memberships__role=MemberRole.FOUNDER,
            ):
                _mail(
                    founder,
                    "projects/mail/project_rejected",
                    _project_ctx(project, note=note),
                )
        elif not project.approvals.exclude(status=ApprovalStatus.APPROVED).exists():
            open_project(project, actor=actor, note=note)
    return approval


# ------------------------------------------------------------------------ R9 partners


def invite_partner(
    project: Project, teacher: User, *, inviter: User, message: str = ""
) -> Invitation:
    """R9: a member invites a further validated teacher while the project is open."""
    _require_validated(inviter)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if not project.members.filter(teacher=inviter).exists():
            raise ProjectRuleError(
                _("Only members of the project can invite partners.")
            )
        if not project.is_open_for_partners:
            raise ProjectRuleError(_("This project does not take new partners."))
        if project.members.filter(teacher=teacher).exists():
            raise ProjectRuleError(
                _("%(name)s is already a member of this project.")
                % {"name": teacher.display_name}
            )
        if not is_validated_teacher(teacher):
            raise ProjectRuleError(
                _("%(name)s is not a validated teacher and cannot join projects.")
                % {"name": teacher.display_name}
            )
        return _create_invitation(
            project,
            teacher,
            kind=InvitationKind.PARTNER,
            sent_by=inviter,
            message=message,
        )


def request_to_join(
    project: Project, *, teacher: User, school: School | None = None, message: str = ""
) -> Invitation:
    """R7/R9: a teacher asks, for their school, to join a project; a founder answers."""
    _require_validated(teacher)
    school = _school_for(teacher, school)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if not project.is_open_for_partners:
            raise ProjectRuleError(_("This project does not take new partners."))
        if project.members.filter(teacher=teacher).exists():
            raise ProjectRuleError(_("You are already a member of this project."))
        return _create_invitation(
            project,
            teacher,
            kind=InvitationKind.REQUEST,
            sent_by=teacher,
            message=message,
            school=school,
        )


def answer_invitation(
    invitation: Invitation,
    *,
    accept: bool,
    actor: User,
    school: School | None = None,
) -> Invitation:
    """The invitee (invitations) or a founder (requests) accepts or declines.

    Accepting a co-founder invitation founds the project (found_project); accepting a
    partner invitation or a request adds a partner and sends project_member_added.
    The sender is told by mail either way.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("project", "teacher", "sent_by")
            .get(pk=invitation.pk)
        )
        project = invitation.project
        if invitation.status != InvitationStatus.PENDING:
            raise ProjectRuleError(_("This invitation has already been answered."))
        if invitation.is_request:
            if not project.members.filter(
                teacher=actor, role=MemberRole.FOUNDER
            ).exists():
                raise ProjectRuleError(
                    _("Only a founder can answer a request to join.")
                )
        elif invitation.teacher_id != actor.pk:
            raise ProjectRuleError(_("Only the invited teacher can answer."))
        if accept:
            _require_validated(invitation.teacher)
            if invitation.kind == InvitationKind.COFOUNDER:
                if project.status != ProjectStatus.PROPOSED:
                    raise ProjectRuleError(_("This proposal is no longer open."))
                chosen = _school_for(invitation.teacher, school)
                found_project(
                    project, cofounder=invitation.teacher, school=chosen, actor=actor
                )
            else:
                if not project.is_open_for_partners:
                    raise ProjectRuleError(
                        _("This project does not take new partners.")
                    )
                chosen = _school_for(invitation.teacher, school or invitation.school)
                member = ProjectMember.objects.create(
                    project=project,
                    teacher=invitation.teacher,
                    school=chosen,
                    role=MemberRole.PARTNER,
                )
                _send_member_added(project, member)
            invitation.school = chosen
        invitation.status = (
            InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        )
        invitation.answered_at = timezone.now()
        invitation.answered_by = actor
        invitation.save(
            update_fields=["status", "answered_at", "answered_by", "school"]
        )
        recipient = invitation.teacher if invitation.is_request else invitation.sent_by
        _mail(
            recipient,
            "projects/mail/invitation_answered",
            _project_ctx(
                project,
                accepted=accept,
                teacher_name=invitation.teacher.display_name,
                kind=invitation.kind,
            ),
        )
    return invitation


def cancel_invitation(invitation: Invitation, *, actor: User) -> Invitation:
    """The sender withdraws a pending invitation or request."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.sent_by_id != actor.pk:
            raise ProjectRuleError(_("Only the sender can cancel an invitation."))
        if invitation.status != InvitationStatus.PENDING:
            raise ProjectRuleError(_("This invitation has already been answered."))
        invitation.status = InvitationStatus.CANCELLED
        invitation.answered_at = timezone.now()
        invitation.answered_by = actor
        invitation.save(update_fields=["status", "answered_at", "answered_by"])
    return invitation


# ------------------------------------------------------------------------- R11 closing


def close_project(project: Project, *, actor: User, note: str = "") -> Project:
    """R11: a founder closes a running project; it stays visible and read-only.

    Pending invitations and requests are cancelled; project_closed is sent after commit.
    """
    with transaction.atomic():
        if not project.members.filter(teacher=actor, role=MemberRole.FOUNDER).exists():
            raise ProjectRuleError(_("Only the founders can close a project."))
        project = transition_project(
            project, ProjectStatus.CLOSED, actor=actor, note=note
        )
        project.invitations.filter(status=InvitationStatus.PENDING).update(
            status=InvitationStatus.CANCELLED, answered_at=timezone.now()
        )
        transaction.on_commit(
            lambda: signals.project_closed.send(sender=Project, project=project)
        )
    return project


def withdraw_proposal(project: Project, *, actor: User) -> Project:
    """The founder withdraws a proposal nobody has co-founded yet."""
    with transaction.atomic():
        if not project.members.filter(teacher=actor, role=MemberRole.FOUNDER).exists():
            raise ProjectRuleError(_("Only the founder can withdraw the proposal."))
        project = transition_project(project, ProjectStatus.WITHDRAWN, actor=actor)
        project.invitations.filter(status=InvitationStatus.PENDING).update(
            status=InvitationStatus.CANCELLED, answered_at=timezone.now()
        )
    return project


# ---------------------------------------------------------------------------- R7 ideas


def post_idea(
    *,
    author: User,
    title: str,
    description: str,
    subjects: list[str] | None = None,
    age_groups: list[str] | None = None,
    languages: list[str] | None = None,
) -> ProjectIdea:
    """R7: a validated teacher posts a project idea for partners to find."""
    _require_validated(author)
    return ProjectIdea.objects.create(
        author=author,
        title=title,
        description=description,
        subjects=list(subjects or []),
        age_groups=list(age_groups or []),
        languages=list(languages or []),
    )


def reply_to_idea(idea: ProjectIdea, *, teacher: User, message: str = "") -> IdeaReply:
    """R7: a teacher answers an idea by asking its author to invite them."""
    _require_validated(teacher)
    if idea.author_id == teacher.pk:
        raise ProjectRuleError(_("This is your own idea."))
    if not idea.is_open:
        raise ProjectRuleError(_("This idea no longer looks for partners."))
    try:
        with transaction.atomic():
            reply = IdeaReply.objects.create(
                idea=idea, teacher=teacher, message=message
            )
    except IntegrityError:
        raise ProjectRuleError(_("You have already answered this idea.")) from None
    _mail(
        idea.author,
        "projects/mail/idea_reply",
        {
            "idea_title": idea.title,
            "teacher_name": teacher.display_name,
            "message": message,
            "dashboard_url": settings.SITE_URL + reverse("dashboard"),
        },
    )
    return reply


def decide_idea_reply(reply: IdeaReply, *, accept: bool, actor: User) -> IdeaReply:
    """The idea's author accepts (then proposes a project with the teacher) or declines."""
    with transaction.atomic():
        reply = (
            IdeaReply.objects.select_for_update()
            .select_related("idea")
            .get(pk=reply.pk)
        )
        if reply.idea.author_id != actor.pk:
            raise ProjectRuleError(_("Only the author of the idea can answer."))
        reply.status = IdeaReplyStatus.ACCEPTED if accept else IdeaReplyStatus.DECLINED
        reply.save(update_fields=["status"])
    return reply


def set_idea_open(idea: ProjectIdea, *, is_open: bool, actor: User) -> ProjectIdea:
    if idea.author_id != actor.pk:
        raise ProjectRuleError(_("Only the author of the idea can change it."))
    idea.is_open = is_open
    idea.save(update_fields=["is_open"])
    return idea
