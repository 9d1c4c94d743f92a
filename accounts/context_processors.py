"""What every page needs to know about the person looking at it (navigation by role, the
R5 "waiting for validation" banner)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.enums import TEACHING_ROLES, HeadStatus, MembershipStatus


def portal(request: HttpRequest) -> dict:
    # Panels render their templates with the request, which runs the context processors
    # again: compute once per request.
    cached = getattr(request, "_portal_nav", None)
    if cached is None:
        cached = request._portal_nav = _portal(request)
    return cached


def _portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "anonymous"}
    if user.is_pupil:
        return {"nav_role": "pupil"}
    # One query for the current links; the profile is read only when there is none.
    memberships = list(
        user.memberships.exclude(
            status__in=[MembershipStatus.ENDED, MembershipStatus.REJECTED]
        )
    )
    is_head = any(m.head_status == HeadStatus.CONFIRMED for m in memberships)
    # Only staff can be evaluators: spare everyone else the query.
    is_evaluator = user.is_staff and user.evaluator_countries.exists()
    pending = bool(memberships) and not any(
        m.status == MembershipStatus.VALIDATED for m in memberships
    )
    no_school = False
    if not memberships and not user.is_staff:
        profile = getattr(user, "profile", None)
        # Future teachers and inspectors may finish without a school (no banner then).
        no_school = (
            profile is None
            or profile.step != profile.Step.DONE
            or profile.role in TEACHING_ROLES
        )
        match = getattr(request, "resolver_match", None)
        if match and match.view_name == "accounts:register":
            no_school = False  # they are finishing it right now
    role = (
        "evaluator"
        if is_evaluator
        else "staff"
        if user.is_superuser
        else "head"
        if is_head
        else "teacher"
    )
    return {
        "nav_role": role,
        "nav_is_head": is_head,
        "nav_is_evaluator": is_evaluator,
        "nav_pending": pending,
        "nav_awaiting_head": pending
        and any(m.status == MembershipStatus.AWAITING_HEAD for m in memberships),
        "nav_no_school": no_school,
    }
