"""Who may do what in the accounts app (pretalx style: small predicates, one place)."""

from __future__ import annotations

import rules

from accounts.enums import TEACHING_ROLES, HeadStatus, MembershipStatus


@rules.predicate
def is_pupil(user) -> bool:
    return bool(user and user.is_authenticated and user.is_pupil)


@rules.predicate
def is_validated_teacher(user) -> bool:
    """A teacher (or head) with at least one validated school link (R5)."""
    if not (user and user.is_authenticated) or user.is_pupil:
        return False
    profile = getattr(user, "profile", None)
    if profile is None or profile.role not in TEACHING_ROLES:
        return False
    return user.memberships.filter(status=MembershipStatus.VALIDATED).exists()


@rules.predicate
def is_evaluator(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_staff
        and user.evaluator_countries.exists()
    )


@rules.predicate
def is_central_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_head_of_school(user, school) -> bool:
    """The NSO-confirmed head of `school` (at most one per school)."""
    if not (user and user.is_authenticated) or school is None:
        return False
    return user.memberships.filter(
        school=school, head_status=HeadStatus.CONFIRMED
    ).exists()


@rules.predicate
def can_answer_as_head(user, membership) -> bool:
    """R5: the school's head confirms that a teacher works there (not their own link)."""
    if membership is None or membership.teacher_id == getattr(user, "pk", None):
        return False
    return membership.status == MembershipStatus.AWAITING_HEAD and is_head_of_school(
        user, membership.school
    )


@rules.predicate
def is_pending_teacher(user) -> bool:
    """Registered with a school, but no school link validated yet (R5 banner)."""
    if not (user and user.is_authenticated) or user.is_pupil:
        return False
    links = user.memberships.current()
    return (
        links.exists() and not links.filter(status=MembershipStatus.VALIDATED).exists()
    )


rules.add_perm("accounts.found_projects", is_validated_teacher)
rules.add_perm("accounts.answer_as_head", can_answer_as_head)
