"""Who may do what in the accounts app (pretalx style: small predicates, one place)."""

from __future__ import annotations

import rules

from accounts.enums import TEACHING_ROLES, MembershipStatus


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


rules.add_perm("accounts.found_projects", is_validated_teacher)
