"""Who may do what in the projects app (R7-R11), as small predicates composed into perms.

Permission names avoid Django's model permissions ("projects.view_project" is the admin's),
so that a rule can never open the admin by accident.
"""

from __future__ import annotations

import rules

from accounts.admin_scoping import evaluator_country_ids
from accounts.rules import is_evaluator, is_validated_teacher
from projects.enums import MemberRole, ProjectStatus

PUBLIC_STATUSES = (ProjectStatus.ACTIVE, ProjectStatus.CLOSED)


def _member_roles(user, project) -> dict[int, str]:
    """{teacher_id: role} of the project, cached on the project object for the request."""
    cached = getattr(project, "_member_roles", None)
    if cached is None:
        cached = dict(project.members.values_list("teacher_id", "role"))
        project._member_roles = cached
    return cached


@rules.predicate
def is_project_member(user, project) -> bool:
    if not (user and user.is_authenticated) or project is None:
        return False
    return user.pk in _member_roles(user, project)


@rules.predicate
def is_project_founder(user, project) -> bool:
    if not (user and user.is_authenticated) or project is None:
        return False
    return _member_roles(user, project).get(user.pk) == MemberRole.FOUNDER


@rules.predicate
def is_project_invitee(user, project) -> bool:
    """A teacher with a pending invitation sees the proposal they are invited to."""
    if not (user and user.is_authenticated) or project is None:
        return False
    return project.invitations.filter(teacher=user, status="pending").exists()


@rules.predicate
def is_public_project(user, project) -> bool:
    return project is not None and project.status in PUBLIC_STATUSES


@rules.predicate
def is_running(user, project) -> bool:
    return project is not None and project.status == ProjectStatus.ACTIVE


@rules.predicate
def is_open_for_partners(user, project) -> bool:
    return project is not None and project.is_open_for_partners


@rules.predicate
def is_project_country_evaluator(user, project) -> bool:
    """An NSO evaluator of one of the founders' countries."""
    if project is None or not is_evaluator(user):
        return False
    ids = evaluator_country_ids(user)
    return project.members.filter(
        role=MemberRole.FOUNDER, school__country_id__in=ids
    ).exists()


rules.add_perm("projects.found_project", is_validated_teacher)
rules.add_perm("projects.post_idea", is_validated_teacher)
rules.add_perm(
    "projects.see_project",
    is_public_project
    | is_project_member
    | is_project_invitee
    # The NSO reads a project it is asked to approve (the admin links to this page).
    | is_project_country_evaluator
    | rules.is_superuser,
)
# Member pages: the member list, pending invitations, the project's workspace links.
rules.add_perm("projects.see_members", is_project_member)
rules.add_perm(
    "projects.invite_partner",
    is_validated_teacher & is_project_member & is_open_for_partners,
)
rules.add_perm(
    "projects.request_to_join",
    is_validated_teacher & ~is_project_member & is_open_for_partners,
)
rules.add_perm("projects.answer_join_request", is_project_founder)
rules.add_perm("projects.close_project", is_project_founder & is_running)
rules.add_perm(
    "projects.review_project", is_project_country_evaluator | rules.is_superuser
)
