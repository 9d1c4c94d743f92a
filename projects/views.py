"""Views of the projects app: thin, the rules live in services.py and rules.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from projects.models import ProjectMember


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("school__country").order_by(
        "-is_main", "joined_at"
    )
    projects = (
        ProjectMember.objects.filter(teacher=request.user)
        .select_related("project")
        .order_by("-project__created_at")[:50]
    )
    return render(
        request,
        "projects/dashboard.html",
        {"memberships": memberships, "project_members": projects},
    )
