"""What every page needs to know about the person looking at it (navigation by role)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.enums import HeadStatus, MembershipStatus


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": "anonymous"}
    if user.is_pupil:
        return {"nav_role": "pupil"}
    memberships = list(
        user.memberships.exclude(
            status__in=[MembershipStatus.ENDED, MembershipStatus.REJECTED]
        )
    )
    is_head = any(m.head_status == HeadStatus.CONFIRMED for m in memberships)
    is_evaluator = user.is_staff and user.evaluator_countries.exists()
    pending = bool(memberships) and not any(
        m.status == MembershipStatus.VALIDATED for m in memberships
    )
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
        "nav_no_school": not memberships and not user.is_staff,
    }
