"""TwinSpace pages (R10-R15). Thin: permissions in rules.py, changes in services.py.

Every URL lives under /twinspace/ (pupils are confined there, accounts.middleware), except
the pupils' landing page /pupil/.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from projects.models import ProjectMember
from twinspace import rules as ts_rules
from twinspace import services
from twinspace.content import (
    clean_page_source,
    parse_video_url,
    render_page_html,
    video_player_html,
)
from twinspace.enums import PUPIL_ROLES, TEACHER_ROLES, MemberRole
from twinspace.forms import (
    CoverForm,
    MaterialForm,
    PageForm,
    PupilBatchForm,
    ReplyForm,
    ThreadForm,
    VisitorForm,
)
from twinspace.models import (
    Activity,
    ForumPost,
    ForumThread,
    Material,
    Page,
    PageRevision,
    TwinSpace,
    TwinSpaceMember,
)

MATERIALS_PER_PAGE = 24
THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 50
ACTIVITY_ON_HOME = 15


def _twinspace(
    request: HttpRequest, pk: int, perm: str = "twinspace.view_twinspace"
) -> TwinSpace:
    """The TwinSpace if the user holds `perm` on it (404 if missing, 403 if not allowed)."""
    twinspace = get_object_or_404(TwinSpace.objects.select_related("project"), pk=pk)
    if not ts_rules.allowed(request.user, perm, twinspace):
        raise PermissionDenied
    return twinspace


def _context(request: HttpRequest, twinspace: TwinSpace, tab: str, **extra) -> dict:
    user = request.user
    role = ts_rules.member_role(user, twinspace)
    return {
        "twinspace": twinspace,
        "project": twinspace.project,
        "tab": tab,
        "my_role": role,
        "my_role_label": MemberRole(role).label if role else _("Evaluator (read only)"),
        "can_contribute": ts_rules.allowed(user, "twinspace.contribute", twinspace),
        "can_moderate": ts_rules.allowed(user, "twinspace.moderate", twinspace),
        "can_manage": ts_rules.allowed(user, "twinspace.manage_members", twinspace),
        "can_reset": ts_rules.allowed(
            user, "twinspace.reset_pupil_passwords", twinspace
        ),
        **extra,
    }


def _page_tree(twinspace: TwinSpace) -> list[dict]:
    """All pages as a nested list, from one query."""
    rows = list(
        Page.objects.filter(twinspace=twinspace)
        .order_by("position", "title")
        .values("id", "parent_id", "title")
    )
    by_parent: dict[int | None, list[dict]] = {}
    for row in rows:
        by_parent.setdefault(row["parent_id"], []).append(row)

    def build(parent_id: int | None, depth: int) -> list[dict]:
        return [
            {**row, "depth": depth, "children": build(row["id"], depth + 1)}
            for row in by_parent.get(parent_id, [])
        ]

    return build(None, 0)


def _field_errors(form, error: ValidationError, field: str | None = None) -> None:
    for message in error.messages:
        form.add_error(field, message)


def _page_errors(form, error: ValidationError) -> None:
    """A refused video link belongs under its field; anything else above the form."""
    _field_errors(form, error, "video_url" if error.code == "video" else None)


# --- lists of TwinSpaces ------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if request.user.is_pupil:
        return redirect("pupil_home")
    memberships = services.twinspaces_of(request.user)
    return render(request, "twinspace/index.html", {"memberships": memberships})


@login_required
@require_GET
def pupil_home(request: HttpRequest) -> HttpResponse:
    """R13: a pupil's start page: their TwinSpaces and nothing else."""
    if not request.user.is_pupil:
        return redirect("twinspace:index")
    memberships = list(services.twinspaces_of(request.user))
    if len(memberships) == 1:
        return redirect(memberships[0].twinspace.get_absolute_url())
    return render(request, "twinspace/pupil_home.html", {"memberships": memberships})


# --- home, cover, settings ----------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    activities = (
        Activity.objects.filter(twinspace=twinspace)
        .select_related("actor")
        .order_by("-at", "-id")[:ACTIVITY_ON_HOME]
    )
    counts = {
        "pages": Page.objects.filter(twinspace=twinspace).count(),
        "materials": Material.objects.filter(twinspace=twinspace).count(),
        "threads": ForumThread.objects.filter(twinspace=twinspace).count(),
        "members": TwinSpaceMember.objects.filter(twinspace=twinspace).count(),
    }
    return render(
        request,
        "twinspace/home.html",
        _context(
            request,
            twinspace,
            "home",
            activities=activities,
            counts=counts,
            pages=_page_tree(twinspace),
        ),
    )


@require_GET
def cover(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: name, description and members' names, public unless the cover is hidden.
    To non-members, pupils (minors) appear only as a number."""
    twinspace = get_object_or_404(TwinSpace.objects.select_related("project"), pk=pk)
    if not ts_rules.allowed(request.user, "twinspace.view_cover", twinspace):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        raise PermissionDenied
    can_view = ts_rules.allowed(request.user, "twinspace.view_twinspace", twinspace)
    members = list(
        TwinSpaceMember.objects.filter(twinspace=twinspace)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )
    teachers = [m for m in members if m.role in TEACHER_ROLES]
    pupils = [m for m in members if m.role in PUPIL_ROLES]
    schools = (
        ProjectMember.objects.filter(project=twinspace.project)
        .select_related("school__country")
        .order_by("school__country__code", "school__name")
    )
    return render(
        request,
        "twinspace/cover.html",
        {
            "twinspace": twinspace,
            "project": twinspace.project,
            "teachers": teachers,
            "pupils": pupils,
            "visitors": [m for m in members if m.role == MemberRole.VISITOR],
            "schools": {(m.school_id): m.school for m in schools}.values(),
            "can_view": can_view,
        },
    )


@login_required
def cover_edit(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.manage_members")
    form = CoverForm(request.POST or None, instance=twinspace)
    if request.method == "POST" and form.is_valid():
        services.update_cover(
            twinspace,
            description=form.cleaned_data["description"],
            cover_hidden=form.cleaned_data["cover_hidden"],
            actor=request.user,
        )
        messages.success(request, _("The cover is saved."))
        return redirect("twinspace:home", pk)
    return render(
        request,
        "twinspace/cover_edit.html",
        _context(request, twinspace, "members", form=form),
    )


# --- R13: members and pupils --------------------------------------------------------------


@login_required
@require_GET
def members(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    rows = list(
        TwinSpaceMember.objects.filter(twinspace=twinspace)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "pk")
    )
    ctx = _context(request, twinspace, "members")
    invitable = []
    if ctx["can_manage"]:
        in_space = {m.user_id for m in rows}
        invitable = [
            m
            for m in ProjectMember.objects.filter(project=twinspace.project)
            .select_related("teacher", "school")
            .order_by("teacher__first_name")
            if m.teacher_id not in in_space
        ]
    return render(
        request,
        "twinspace/members.html",
        {
            **ctx,
            "teachers": [m for m in rows if m.role in TEACHER_ROLES],
            "pupils": [m for m in rows if m.role in PUPIL_ROLES],
            "visitors": [m for m in rows if m.role == MemberRole.VISITOR],
            "invitable": invitable,
            "visitor_form": VisitorForm(),
        },
    )


def _member(twinspace: TwinSpace, member_pk: int) -> TwinSpaceMember:
    return get_object_or_404(
        TwinSpaceMember.objects.select_related("user", "twinspace__project"),
        pk=member_pk,
        twinspace=twinspace,
    )


@login_required
@require_POST
def member_add_teacher(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.manage_members")
    teacher_id = request.POST.get("teacher", "")
    if not teacher_id.isdigit():
        raise Http404
    project_member = get_object_or_404(
        ProjectMember.objects.select_related("teacher"),
        project=twinspace.project,
        teacher_id=int(teacher_id),
    )
    try:
        services.add_teacher_of_project(
            twinspace, project_member.teacher, actor=request.user
        )
        messages.success(
            request,
            _("%(name)s is now a teacher of this TwinSpace.")
            % {"name": project_member.teacher.display_name},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("twinspace:members", pk)


@login_required
def member_add_visitor(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.manage_members")
    form = VisitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_visitor(
                twinspace, form.cleaned_data["login"], actor=request.user
            )
        except ValidationError as error:
            _field_errors(form, error, "login")
        else:
            messages.success(
                request,
                _("%(name)s can now read this TwinSpace.")
                % {"name": member.user.display_name},
            )
            return redirect("twinspace:members", pk)
    return render(
        request,
        "twinspace/visitor_form.html",
        _context(request, twinspace, "members", form=form),
    )


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.manage_members")
    member = _member(twinspace, member_pk)
    try:
        member = services.change_member_role(member, actor=request.user)
        messages.success(
            request,
            _("%(name)s is now: %(role)s.")
            % {"name": member.user.display_name, "role": member.get_role_display()},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("twinspace:members", pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.manage_members")
    member = _member(twinspace, member_pk)
    try:
        services.remove_member(member, actor=request.user)
        messages.success(
            request,
            _("%(name)s is no longer a member.") % {"name": member.user.display_name},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("twinspace:members", pk)


@never_cache
@login_required
def pupils_new(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: bulk creation; the credentials are shown once, on a printable page."""
    twinspace = _twinspace(request, pk, "twinspace.manage_members")
    form = PupilBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials = services.create_pupils(
                twinspace, form.cleaned_data["names"], actor=request.user
            )
        except ValidationError as error:
            _field_errors(form, error, "names")
        else:
            return render(
                request,
                "twinspace/pupil_credentials.html",
                _context(request, twinspace, "members", credentials=credentials),
            )
    return render(
        request,
        "twinspace/pupils_new.html",
        _context(request, twinspace, "members", form=form),
    )


@never_cache
@login_required
@require_POST
def pupil_reset_password(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.reset_pupil_passwords")
    member = _member(twinspace, member_pk)
    try:
        credentials = services.reset_pupil_password(member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("twinspace:members", pk)
    return render(
        request,
        "twinspace/pupil_credentials.html",
        _context(
            request, twinspace, "members", credentials=[credentials], is_reset=True
        ),
    )


# --- R12: pages ---------------------------------------------------------------------------


@login_required
@require_GET
def pages(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    return render(
        request,
        "twinspace/pages.html",
        _context(request, twinspace, "pages", pages=_page_tree(twinspace)),
    )


def _page(twinspace: TwinSpace, page_pk: int) -> Page:
    return get_object_or_404(
        Page.objects.select_related("updated_by", "created_by", "parent"),
        pk=page_pk,
        twinspace=twinspace,
    )


@login_required
def page_new(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.contribute")
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = request.GET["parent"]
    return _page_form(request, twinspace, None, initial)


def _page_form(request: HttpRequest, twinspace, page, initial: dict) -> HttpResponse:
    """The page form for a new page (`page` None) or an edit; the service keeps the history."""
    form = PageForm(
        request.POST or None, twinspace=twinspace, page=page, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {key: data[key] for key in ("title", "source", "video_url", "parent")}
        try:
            if page is None:
                saved = services.create_page(twinspace, actor=request.user, **fields)
            else:
                saved = services.edit_page(page, actor=request.user, **fields)
        except ValidationError as error:
            _page_errors(form, error)
        else:
            messages.success(request, _("The page is saved."))
            return redirect(saved)
    return render(
        request,
        "twinspace/page_form.html",
        _context(request, twinspace, "pages", form=form, page=page),
    )


@login_required
@require_GET
def page_detail(request: HttpRequest, pk: int, page_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    page = _page(twinspace, page_pk)
    video = parse_video_url(page.video_url) if page.video_url else None
    return render(
        request,
        "twinspace/page_detail.html",
        _context(
            request,
            twinspace,
            "pages",
            page=page,
            body=render_page_html(page.body_html),
            video=video_player_html(*video) if video else "",
            children=page.children.order_by("position", "title"),
            pages=_page_tree(twinspace),
        ),
    )


@login_required
def page_edit(request: HttpRequest, pk: int, page_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.contribute")
    page = _page(twinspace, page_pk)
    initial = {
        "title": page.title,
        "source": page.source,
        "video_url": page.video_url,
        "parent": page.parent_id,
    }
    return _page_form(request, twinspace, page, initial)


@login_required
@require_GET
def page_history(request: HttpRequest, pk: int, page_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    page = _page(twinspace, page_pk)
    revisions = page.revisions.select_related("author").order_by("-number")
    return render(
        request,
        "twinspace/page_history.html",
        _context(request, twinspace, "pages", page=page, revisions=revisions),
    )


@login_required
@require_GET
def page_revision(
    request: HttpRequest, pk: int, page_pk: int, number: int
) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    page = _page(twinspace, page_pk)
    revision = get_object_or_404(
        PageRevision.objects.select_related("author"), page=page, number=number
    )
    video = parse_video_url(revision.video_url) if revision.video_url else None
    return render(
        request,
        "twinspace/page_revision.html",
        _context(
            request,
            twinspace,
            "pages",
            page=page,
            revision=revision,
            body=render_page_html(clean_page_source(revision.source)),
            video=video_player_html(*video) if video else "",
        ),
    )


@login_required
@require_POST
def page_restore(
    request: HttpRequest, pk: int, page_pk: int, number: int
) -> HttpResponse:
    twinspace = _twinspace(request, pk, "twinspace.contribute")
    page = _page(twinspace, page_pk)
    revision = get_object_or_404(PageRevision, page=page, number=number)
    services.restore_page_revision(revision, actor=request.user)
    messages.success(
        request,
        _("Version %(number)s is back; the page history keeps every version.")
        % {"number": number},
    )
    return redirect(page)


# --- R14: materials -----------------------------------------------------------------------


@login_required
def materials(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    ctx = _context(request, twinspace, "materials")
    form = MaterialForm()
    if request.method == "POST":
        if not ctx["can_contribute"]:
            raise PermissionDenied
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                material = services.add_material(
                    twinspace,
                    form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    actor=request.user,
                )
            except ValidationError as error:
                _field_errors(form, error, "file")
            else:
                messages.success(
                    request, _("“%(title)s” is added.") % {"title": material.title}
                )
                return redirect("twinspace:materials", pk)
    paginator = Paginator(
        Material.objects.filter(twinspace=twinspace)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id"),
        MATERIALS_PER_PAGE,
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "twinspace/materials.html",
        {**ctx, "form": form, "page_obj": page_obj},
    )


def _serve(material: Material, field: str) -> FileResponse:
    stored = getattr(material, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    inline = material.is_image
    response = FileResponse(
        handle,
        content_type="image/jpeg" if field == "thumbnail" else material.content_type,
        as_attachment=not inline,
        filename=material.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a file were ever read as a page, it could run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def material_file(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """R14: materials reach members (and evaluators while they evaluate) only."""
    twinspace = _twinspace(request, pk)
    material = get_object_or_404(Material, pk=material_pk, twinspace=twinspace)
    return _serve(material, "file")


@login_required
@require_GET
def material_thumbnail(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    twinspace = _twinspace(request, pk)
    material = get_object_or_404(Material, pk=material_pk, twinspace=twinspace)
    return _serve(material, "thumbnail")


# --- R14: forum ---------------------------------------------------------------------------


@login_required
def forum(request: HttpRequest, pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    ctx = _context(request, twinspace, "forum")
    form = ThreadForm()
    if request.method == "POST":
        if not ctx["can_contribute"]:
            raise PermissionDenied
        form = ThreadForm(request.POST)
        if form.is_valid():
            thread = services.start_thread(
                twinspace,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
            return redirect(thread)
    paginator = Paginator(
        ForumThread.objects.filter(twinspace=twinspace)
        .select_related("created_by")
        .order_by("-last_post_at", "-id"),
        THREADS_PER_PAGE,
    )
    return render(
        request,
        "twinspace/forum.html",
        {**ctx, "form": form, "page_obj": paginator.get_page(request.GET.get("page"))},
    )


@login_required
def thread(request: HttpRequest, pk: int, thread_pk: int) -> HttpResponse:
    twinspace = _twinspace(request, pk)
    thread = get_object_or_404(ForumThread, pk=thread_pk, twinspace=twinspace)
    ctx = _context(request, twinspace, "forum")
    form = ReplyForm()
    if request.method == "POST":
        if not ctx["can_contribute"]:
            raise PermissionDenied
        form = ReplyForm(request.POST)
        if form.is_valid():
            post = services.reply(
                thread, body=form.cleaned_data["body"], actor=request.user
            )
            last_page = (thread.post_count // POSTS_PER_PAGE) + 1
            return redirect(
                f"{thread.get_absolute_url()}?page={last_page}#post-{post.pk}"
            )
    paginator = Paginator(
        ForumPost.objects.filter(thread=thread)
        .select_related("author", "hidden_by")
        .order_by("created_at", "id"),
        POSTS_PER_PAGE,
    )
    return render(
        request,
        "twinspace/thread.html",
        {
            **ctx,
            "thread": thread,
            "form": form,
            "page_obj": paginator.get_page(request.GET.get("page")),
        },
    )


@login_required
@require_POST
def post_hide(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """R14: a teacher hides a post, or shows it again."""
    twinspace = _twinspace(request, pk, "twinspace.moderate")
    post = get_object_or_404(
        ForumPost.objects.select_related("thread__twinspace"),
        pk=post_pk,
        thread__twinspace=twinspace,
    )
    hidden = request.POST.get("hidden", "1") == "1"
    services.set_post_hidden(post, hidden=hidden, actor=request.user)
    messages.success(
        request, _("The post is hidden.") if hidden else _("The post is shown again.")
    )
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")
