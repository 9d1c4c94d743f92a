"""What the TwinSpace shows on other apps' pages (accounts.panels)."""

from __future__ import annotations

from django.http import HttpRequest

from projects.models import Project
from twinspace import rules as ts_rules
from twinspace.enums import PUPIL_ROLES, TEACHER_ROLES
from twinspace.models import TwinSpace, TwinSpaceMember


def project_twinspace_panel(
    request: HttpRequest, project: Project
) -> tuple[str, dict] | None:
    """On the project page: the TwinSpace's cover and a way in, for whoever may see it."""
    if not isinstance(project, Project):
        return None
    twinspace = (
        TwinSpace.objects.filter(project=project).select_related("project").first()
    )
    if twinspace is None:
        return None
    user = request.user if request is not None else None
    can_view = bool(
        user and ts_rules.allowed(user, "twinspace.view_twinspace", twinspace)
    )
    if not can_view and not (
        user and ts_rules.allowed(user, "twinspace.view_cover", twinspace)
    ):
        return None
    counts = {"teachers": 0, "pupils": 0}
    for role in TwinSpaceMember.objects.filter(twinspace=twinspace).values_list(
        "role", flat=True
    ):
        if role in TEACHER_ROLES:
            counts["teachers"] += 1
        elif role in PUPIL_ROLES:
            counts["pupils"] += 1
    return (
        "twinspace/panels/project.html",
        {"twinspace": twinspace, "can_view": can_view, "counts": counts},
    )


def dashboard_twinspaces_panel(request: HttpRequest, user) -> tuple[str, dict] | None:
    """On the dashboard: the TwinSpaces the teacher works in."""
    if request is None or not request.user.is_authenticated:
        return None
    memberships = list(
        TwinSpaceMember.objects.filter(user=request.user)
        .select_related("twinspace__project")
        .order_by("-twinspace__created_at")[:12]
    )
    if not memberships:
        return None
    return "twinspace/panels/dashboard.html", {"memberships": memberships}
