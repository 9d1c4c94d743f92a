"""Views of the projects app: thin, the rules live in services.py and rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import School, User
from accounts.rules import is_validated_teacher
from projects import search, services
from projects.enums import (
    ApprovalStatus,
    IdeaReplyStatus,
    InvitationKind,
    InvitationStatus,
    MemberRole,
    ProjectStatus,
)
from projects.forms import (
    IdeaFilterForm,
    IdeaForm,
    InviteForm,
    MessageForm,
    PartnerSearchForm,
    ProjectFilterForm,
    ProjectProposalForm,
)
from projects.models import (
    IdeaReply,
    Invitation,
    PartnerSearchEntry,
    Project,
    ProjectApproval,
    ProjectIdea,
    ProjectMember,
)
from projects.rules import PUBLIC_STATUSES

DASHBOARD_LIMIT = 30


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() else 1


def _back(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return nxt
    return default


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=ProjectMember.objects.select_related("school__country").order_by(
            "-role", "joined_at", "pk"
        ),
    )


def _approvals_prefetch() -> Prefetch:
    return Prefetch(
        "approvals",
        queryset=ProjectApproval.objects.select_related("country"),
    )


# ------------------------------------------------------------------------- dashboard


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The teacher's home: projects, invitations both ways, ideas, and other apps' panels."""
    user = request.user
    memberships = user.memberships.select_related("school__country").order_by(
        "-is_main", "joined_at"
    )
    my_projects = list(
        Project.objects.filter(members__teacher=user)
        .exclude(status=ProjectStatus.WITHDRAWN)
        .prefetch_related(_members_prefetch(), _approvals_prefetch())
        .order_by("-created_at", "-id")[:DASHBOARD_LIMIT]
    )
    pending = InvitationStatus.PENDING
    founded_ids = ProjectMember.objects.filter(
        teacher=user, role=MemberRole.FOUNDER
    ).values("project_id")
    # Invitations to me, my requests, requests to my projects, my sent invitations: one query.
    invitations = list(
        Invitation.objects.filter(status=pending)
        .filter(
            Q(teacher=user)
            | Q(sent_by=user)
            | Q(kind=InvitationKind.REQUEST, project_id__in=founded_ids)
        )
        .select_related("project", "teacher", "sent_by", "school__country")
        .order_by("-created_at", "-id")[: DASHBOARD_LIMIT * 2]
    )
    to_me = [i for i in invitations if i.teacher_id == user.pk and not i.is_request]
    my_requests = [i for i in invitations if i.teacher_id == user.pk and i.is_request]
    to_answer = [i for i in invitations if i.is_request and i.teacher_id != user.pk]
    sent = [i for i in invitations if i.sent_by_id == user.pk and not i.is_request]
    ideas = list(
        ProjectIdea.objects.filter(author=user)
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=IdeaReply.objects.filter(
                    status=IdeaReplyStatus.PENDING
                ).select_related("teacher"),
                to_attr="pending_replies",
            )
        )
        .order_by("-created_at", "-id")[:10]
    )
    return render(
        request,
        "projects/dashboard.html",
        {
            "memberships": memberships,
            "my_projects": my_projects,
            "invitations_to_me": to_me,
            "my_requests": my_requests,
            "requests_to_answer": to_answer,
            "sent_invitations": sent,
            "ideas": ideas,
            "can_found": is_validated_teacher(user),
        },
    )


# --------------------------------------------------------------------- R8 proposing


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """R8: the proposal form; refused, with the reason on the page, to non-validated users."""
    if not is_validated_teacher(request.user):
        return render(
            request,
            "projects/propose.html",
            {"allowed": False, "form": None},
            status=403,
        )
    schools = services.teaching_schools(request.user)
    cofounder = None
    cofounder_id = request.POST.get("cofounder") or request.GET.get("cofounder", "")
    if str(cofounder_id).isdigit():
        cofounder = User.objects.filter(pk=cofounder_id).first()
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
            if cofounder is None:
                messages.success(
                    request,
                    _(
                        "Your project is proposed. Now invite a teacher of another school "
                        "as co-founder."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Your project is proposed and %(name)s is invited as co-founder.")
                    % {"name": cofounder.display_name},
                )
            return redirect(project)
    return render(
        request,
        "projects/propose.html",
        {"allowed": True, "form": form, "cofounder": cofounder},
    )


# ------------------------------------------------------------------- project pages


def _project_for(
    request: HttpRequest, pk: int, perm: str = "projects.see_project"
) -> Project:
    project = get_object_or_404(
        Project.objects.prefetch_related(_members_prefetch(), _approvals_prefetch()),
        pk=pk,
    )
    if not request.user.has_perm(perm, project):
        raise PermissionDenied
    return project


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_for(request, pk)
    user = request.user
    members = list(project.members.all())
    me = next((m for m in members if m.teacher_id == user.pk), None)
    is_member = me is not None
    is_founder = bool(me and me.role == MemberRole.FOUNDER)
    invitations = list(
        project.invitations.filter(status=InvitationStatus.PENDING)
        .select_related("teacher", "sent_by", "school__country")
        .order_by("created_at", "id")
    )
    my_invitation = next(
        (i for i in invitations if i.teacher_id == user.pk and not i.is_request), None
    )
    my_request = next(
        (i for i in invitations if i.teacher_id == user.pk and i.is_request), None
    )
    if is_member:
        members_qs = project.members.select_related("teacher", "school__country")
        members = list(members_qs.order_by("-role", "joined_at", "pk"))
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "members": members,
            "is_member": is_member,
            "is_founder": is_founder,
            "invitations": invitations if is_member else [],
            "cofounder_invitation": next(
                (i for i in invitations if i.kind == InvitationKind.COFOUNDER), None
            ),
            "my_invitation": my_invitation,
            "my_request": my_request,
            "can_invite": user.has_perm("projects.invite_partner", project),
            "can_join": not my_request
            and not my_invitation
            and user.has_perm("projects.request_to_join", project),
            "can_close": user.has_perm("projects.close_project", project),
            "countries": sorted({m.school.country.name for m in members}),
            "join_form": MessageForm(),
            "pending_approvals": [
                a for a in project.approvals.all() if a.status == ApprovalStatus.PENDING
            ],
        },
    )


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """A member page: who is in the project, what is pending, and the status history."""
    project = _project_for(request, pk, "projects.see_members")
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "members": project.members.select_related(
                "teacher", "school__country"
            ).order_by("-role", "joined_at", "pk"),
            "invitations": project.invitations.select_related(
                "teacher", "sent_by"
            ).order_by("-created_at", "-id")[:100],
            "changes": project.status_changes.select_related("actor")[:50],
        },
    )


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """Running and closed projects, newest first; no COUNT (fetch one beyond the page)."""
    form = ProjectFilterForm(request.GET or None)
    qs = Project.objects.filter(status__in=PUBLIC_STATUSES)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("subject"):
            qs = qs.filter(subjects__icontains=f'"{data["subject"]}"')
        if data.get("country"):
            qs = qs.filter(
                Exists(
                    ProjectMember.objects.filter(
                        project=OuterRef("pk"), school__country=data["country"]
                    )
                )
            )
        if data.get("q"):
            qs = qs.filter(title__icontains=data["q"])
    page = search._page(
        qs.prefetch_related(_members_prefetch()).order_by("-founded_at", "-id"),
        _page_number(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a member invites a teacher (co-founder while proposed, partner afterwards)."""
    if request.method != "POST":
        return redirect(reverse("projects:search") + f"?project={pk}")
    project = get_object_or_404(Project, pk=pk)
    teacher = get_object_or_404(User, pk=request.POST.get("teacher") or 0)
    message = request.POST.get("message", "")[:2000]
    if not project.members.filter(teacher=request.user).exists():
        raise PermissionDenied
    try:
        if project.status == ProjectStatus.PROPOSED:
            services.invite_cofounder(
                project, teacher, inviter=request.user, message=message
            )
            messages.success(
                request,
                _("%(name)s is invited to co-found “%(project)s”.")
                % {"name": teacher.display_name, "project": project.title},
            )
        else:
            services.invite_partner(
                project, teacher, inviter=request.user, message=message
            )
            messages.success(
                request,
                _("%(name)s is invited to join “%(project)s”.")
                % {"name": teacher.display_name, "project": project.title},
            )
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, project.get_absolute_url()))


@login_required
@require_POST
def request_join(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = MessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.request_to_join(project, teacher=request.user, message=message)
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your request is sent. The founders will answer it.")
        )
    return redirect(project)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("project"), pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.answer_invitation(invitation, accept=accept, actor=request.user)
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, reverse("dashboard")))
    invitation.project.refresh_from_db()
    if not accept:
        messages.info(request, _("Declined."))
        return redirect(_back(request, reverse("dashboard")))
    if invitation.kind == InvitationKind.COFOUNDER:
        messages.success(
            request,
            _("The project is founded. %(status)s")
            % {"status": invitation.project.get_status_display()},
        )
    else:
        messages.success(request, _("Accepted: the teacher is now a partner."))
    return redirect(invitation.project)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.cancel_invitation(invitation, actor=request.user)
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The invitation is cancelled."))
    return redirect(_back(request, reverse("dashboard")))


@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """R11: a founder closes the project (GET asks to confirm)."""
    project = _project_for(request, pk, "projects.close_project")
    if request.method == "POST":
        try:
            services.close_project(project, actor=request.user)
        except services.ProjectRuleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The project is closed. It stays visible and read-only.")
            )
        return redirect(project)
    return render(request, "projects/close.html", {"project": project})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    try:
        services.withdraw_proposal(project, actor=request.user)
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
        return redirect(project)
    messages.info(request, _("The proposal is withdrawn."))
    return redirect("dashboard")


# ------------------------------------------------------------------ R7 partner search


def _invitable_projects(user: User):
    """Projects the user may invite into now: proposals they founded, open projects."""
    return (
        Project.objects.filter(members__teacher=user)
        .filter(
            Q(status=ProjectStatus.PROPOSED, members__role=MemberRole.FOUNDER)
            | Q(status__in=[ProjectStatus.ACTIVE, ProjectStatus.AWAITING_APPROVAL])
        )
        .distinct()
        .order_by("-created_at")
    )


@login_required
def partner_search(request: HttpRequest) -> HttpResponse:
    """R7: teachers or schools by country, subject, age, language, interest and words."""
    form = PartnerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    mode = filters.get("mode") or "teachers"
    project = None
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        project = _invitable_projects(request.user).filter(pk=project_id).first()
    school = None
    school_id = request.GET.get("school", "")
    if school_id.isdigit():
        # R7: a school found in the search -> its teachers, to invite one of them.
        school = School.objects.select_related("country").filter(pk=school_id).first()
        if school is not None:
            mode = "teachers"
            filters = {**filters, "school": school}
    number = _page_number(request)
    if mode == "schools":
        page = search.search_schools(filters, number)
    else:
        page = search.search_teachers(
            {**filters, "exclude_user": request.user.pk}, number
        )
    # With a project in hand, say who is already in it or invited instead of offering
    # an invitation the service would refuse (two queries, only in that case).
    in_project: set[int] = set()
    invited: set[int] = set()
    if project is not None:
        in_project = set(project.members.values_list("teacher_id", flat=True))
        invited = set(
            project.invitations.filter(status=InvitationStatus.PENDING).values_list(
                "teacher_id", flat=True
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/search.html",
        {
            "form": form,
            "page": page,
            "mode": mode,
            "project": project,
            "school": school,
            "in_project": in_project,
            "invited": invited,
            # The invitation buttons depend on the viewer's project: cached cards only
            # without one.
            "cards_key": search.cards_key(page.rows)
            if mode == "teachers" and project is None
            else "",
            "query": query.urlencode(),
        },
    )


@login_required
def teacher_card(request: HttpRequest, user_id: int) -> HttpResponse:
    """A listed teacher's partner card, with an invitation form for the viewer's projects."""
    entry = (
        PartnerSearchEntry.objects.select_related("teacher__profile", "school__country")
        .filter(teacher_id=user_id)
        .first()
    )
    if entry is None:
        raise Http404
    invitable = _invitable_projects(request.user)
    form = InviteForm(projects=invitable)
    ideas = ProjectIdea.objects.filter(author_id=user_id, is_open=True)[:5]
    return render(
        request,
        "projects/teacher.html",
        {
            "entry": entry,
            "profile": entry.teacher.profile,
            "form": form,
            "has_projects": invitable.exists(),
            "can_found": is_validated_teacher(request.user)
            and request.user.pk != entry.teacher_id,
            "ideas": ideas,
        },
    )


@login_required
@require_POST
def invite_from_card(request: HttpRequest, user_id: int) -> HttpResponse:
    form = InviteForm(request.POST, projects=_invitable_projects(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your projects."))
        return redirect("projects:teacher", user_id=user_id)
    request.POST = request.POST.copy()
    request.POST["teacher"] = str(user_id)
    request.POST["next"] = reverse("projects:teacher", args=[user_id])
    return invite(request, form.cleaned_data["project"].pk)


# ------------------------------------------------------------------------ R7 ideas


@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    form = IdeaFilterForm(request.GET or None)
    qs = ProjectIdea.objects.filter(is_open=True)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("subject"):
            qs = qs.filter(subjects__icontains=f'"{data["subject"]}"')
        if data.get("language"):
            qs = qs.filter(languages__icontains=f'"{data["language"]}"')
        for word in (data.get("q") or "").split()[:6]:
            qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    page = search._page(
        qs.select_related("author").order_by("-created_at", "-id"),
        _page_number(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/ideas.html",
        {
            "form": form,
            "page": page,
            "can_post": is_validated_teacher(request.user),
            "query": query.urlencode(),
        },
    )


@login_required
def idea_new(request: HttpRequest) -> HttpResponse:
    allowed = is_validated_teacher(request.user)
    form = IdeaForm(request.POST or None) if allowed else None
    if allowed and request.method == "POST" and form.is_valid():
        try:
            idea = services.post_idea(author=request.user, **form.cleaned_data)
        except services.ProjectRuleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Your idea is published. Partners can now find it.")
            )
            return redirect(idea)
    return render(
        request,
        "projects/idea_form.html",
        {"form": form, "allowed": allowed},
        status=200 if allowed else 403,
    )


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(ProjectIdea.objects.select_related("author"), pk=pk)
    is_author = idea.author_id == request.user.pk
    if not idea.is_open and not is_author:
        raise Http404
    replies = (
        list(idea.replies.select_related("teacher").order_by("-created_at"))
        if is_author
        else []
    )
    my_reply = None if is_author else idea.replies.filter(teacher=request.user).first()
    form = MessageForm(request.POST or None)
    if request.method == "POST" and not is_author and form.is_valid():
        try:
            services.reply_to_idea(
                idea, teacher=request.user, message=form.cleaned_data["message"]
            )
        except services.ProjectRuleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is told you would like to work on this idea together.")
                % {"name": idea.author.display_name},
            )
            return redirect(idea)
    return render(
        request,
        "projects/idea_detail.html",
        {
            "idea": idea,
            "is_author": is_author,
            "replies": replies,
            "my_reply": my_reply,
            "form": form,
            "can_reply": is_validated_teacher(request.user) and not is_author,
        },
    )


@login_required
@require_POST
def idea_reply_decide(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_object_or_404(IdeaReply.objects.select_related("idea"), pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_idea_reply(reply, accept=accept, actor=request.user)
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, reverse("dashboard")))
    if accept:
        return redirect(
            reverse("projects:propose")
            + f"?idea={reply.idea_id}&cofounder={reply.teacher_id}"
        )
    messages.info(request, _("Declined."))
    return redirect(_back(request, reverse("dashboard")))


@login_required
@require_POST
def idea_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(ProjectIdea, pk=pk)
    try:
        services.set_idea_open(
            idea, is_open=request.POST.get("open") == "1", actor=request.user
        )
    except services.ProjectRuleError as exc:
        messages.error(request, exc.message)
    return redirect(idea)
