"""Who may do what in a TwinSpace (R11, R13-R15): every permission of the app, in one place.

Each predicate takes (user, twinspace). A member's role is read once per request and
kept on the user object, so a page asking ten permissions costs one query.
"""

from __future__ import annotations

import rules

from twinspace.enums import CONTRIBUTOR_ROLES, TEACHER_ROLES, MemberRole
from twinspace.models import EvaluationAccess, TwinSpace, TwinSpaceMember

_ROLE_CACHE = "_twinspace_roles"
_EVALUATION_CACHE = "_twinspace_evaluations"


def _cache(user, name: str) -> dict:
    # getattr/setattr (not __dict__) so request.user's lazy wrapper shares the real user's cache.
    cache = getattr(user, name, None)
    if cache is None:
        cache = {}
        setattr(user, name, cache)
    return cache


def member_role(user, twinspace: TwinSpace | None) -> str | None:
    """The user's role in `twinspace`, or None (cached on the user for this request)."""
    if twinspace is None or user is None or not user.is_authenticated:
        return None
    cache = _cache(user, _ROLE_CACHE)
    if twinspace.pk not in cache:
        cache[twinspace.pk] = (
            TwinSpaceMember.objects.filter(twinspace=twinspace, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[twinspace.pk]


def forget_roles(user) -> None:
    """Drop the cached roles (after a role change within the same request)."""
    for name in (_ROLE_CACHE, _EVALUATION_CACHE):
        if getattr(user, name, None) is not None:
            setattr(user, name, None)


@rules.predicate
def is_member(user, twinspace) -> bool:
    return member_role(user, twinspace) is not None


@rules.predicate
def is_teacher_admin(user, twinspace) -> bool:
    return member_role(user, twinspace) == MemberRole.TEACHER_ADMIN


@rules.predicate
def is_teacher(user, twinspace) -> bool:
    return member_role(user, twinspace) in TEACHER_ROLES


@rules.predicate
def is_contributor(user, twinspace) -> bool:
    """Teachers and pupils; visitors only read (R13)."""
    return member_role(user, twinspace) in CONTRIBUTOR_ROLES


@rules.predicate
def is_moderator(user, twinspace) -> bool:
    """Teachers and pupil administrators hide forum posts and restore page versions."""
    return member_role(user, twinspace) in (*TEACHER_ROLES, MemberRole.PUPIL_ADMIN)


@rules.predicate
def is_country_evaluator(user, twinspace) -> bool:
    """R15: an NSO evaluator of a country whose application on this project is evaluated."""
    if twinspace is None or not (user and user.is_authenticated and user.is_staff):
        return False
    cache = _cache(user, _EVALUATION_CACHE)
    if twinspace.pk not in cache:
        cache[twinspace.pk] = EvaluationAccess.objects.filter(
            twinspace=twinspace,
            ended_at__isnull=True,
            country__evaluators=user,
        ).exists()
    return cache[twinspace.pk]


@rules.predicate
def is_writable(user, twinspace) -> bool:
    """R11: a closed project's TwinSpace stays readable and changes no more."""
    return twinspace is not None and not twinspace.is_read_only


@rules.predicate
def has_public_cover(user, twinspace) -> bool:
    return twinspace is not None and not twinspace.cover_hidden


@rules.predicate
def is_pupil_account(user, twinspace) -> bool:
    return bool(user and user.is_authenticated and user.is_pupil)


can_view = is_member | is_country_evaluator
# Pupils reach nothing outside their TwinSpaces, not even other TwinSpaces' covers (R13).
can_view_cover = (has_public_cover & ~is_pupil_account) | can_view
can_contribute = is_contributor & is_writable
can_moderate = is_moderator & is_writable
can_manage_members = is_teacher_admin & is_writable
# A closed TwinSpace stays readable, so its pupils still need a way in.
can_reset_pupil_passwords = is_teacher

rules.add_perm("twinspace.view_twinspace", can_view)
rules.add_perm("twinspace.view_cover", can_view_cover)
rules.add_perm("twinspace.contribute", can_contribute)
rules.add_perm("twinspace.moderate", can_moderate)
rules.add_perm("twinspace.manage_members", can_manage_members)
rules.add_perm("twinspace.reset_pupil_passwords", can_reset_pupil_passwords)


def allowed(user, perm: str, twinspace: TwinSpace | None) -> bool:
    """Check a TwinSpace permission by its rule alone.

    Not `user.has_perm`: Django's backend answers yes to every superuser, and a TwinSpace
    holds minors' work, so central staff get no silent way in; they read it only as
    members or, for evaluators, through an evaluation access (R15)."""
    return rules.has_perm(perm, user, twinspace)
