"""What the projects app shows on other apps' pages (accounts/panels.py)."""

from __future__ import annotations

from django.http import HttpRequest

from projects.enums import ProjectStatus
from projects.models import ProjectMember

SCHOOL_PANEL_LIMIT = 20


def school_projects_panel(request: HttpRequest, school) -> tuple[str, dict] | None:
    """The school page lists the school's running and closed projects (one query)."""
    if school is None:
        return None
    members = list(
        ProjectMember.objects.filter(
            school=school,
            project__status__in=[ProjectStatus.ACTIVE, ProjectStatus.CLOSED],
        )
        .select_related("project")
        .order_by("-project__founded_at", "-project_id")[: SCHOOL_PANEL_LIMIT * 3]
    )
    seen, projects = set(), []
    for member in members:
        if member.project_id not in seen:
            seen.add(member.project_id)
            projects.append(member.project)
    return (
        "projects/panels/school_projects.html",
        {"school": school, "projects": projects[:SCHOOL_PANEL_LIMIT]},
    )
