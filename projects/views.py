"""Views of the projects app: thin, the rules live in services.py and rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_validated_teacher
from projects import services
from projects.forms import ProjectProposalForm
from projects.models import Project, ProjectMember


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


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """R8: the proposal form; refused, with the reason on the page, to non-validated users."""
    allowed = is_validated_teacher(request.user)
    schools = services.teaching_schools(request.user) if allowed else []
    cofounder = None
    if request.GET.get("cofounder", "").isdigit():
        cofounder = User.objects.filter(pk=request.GET["cofounder"]).first()
    if not allowed:
        return render(
            request,
            "projects/propose.html",
            {"allowed": False, "form": None},
            status=403,
        )
    initial = {}
    idea_id = request.GET.get("idea", "")
    if idea_id.isdigit():
        idea = request.user.project_ideas.filter(pk=idea_id).first()
        if idea:
            initial = {
                "title": idea.title,
                "description": idea.description,
                "subjects": idea.subjects,
                "languages": idea.languages,
            }
    form = ProjectProposalForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.propose_project(
                proposer=request.user,
                title=data["title"],
                description=data["description"],
                objectives=data["objectives"],
                subjects=data["subjects"],
                age_min=data["age_min"],
                age_max=data["age_max"],
                languages=data["languages"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                school=data.get("school"),
                cofounder=cofounder,
            )
        except services.ProjectRuleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Your project is proposed. Now invite a teacher of another school as co-founder."
                )
                if cofounder is None
                else _(
                    "Your project is proposed and %(name)s is invited as co-founder."
                )
                % {"name": cofounder.display_name},
            )
            return redirect(project)
    return render(
        request,
        "projects/propose.html",
        {"allowed": True, "form": form, "cofounder": cofounder},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    if not request.user.has_perm("projects.see_project", project):
        raise PermissionDenied
    return render(request, "projects/detail.html", {"project": project})
