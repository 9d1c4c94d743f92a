"""Views of the accounts app: registration wizard (R1, R3), profile, school pages (R3a, R5),
the head of school's confirmations (R5) and personal data. Thin: rules live in services."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import personal_data, services
from accounts.enums import (
    TEACHING_ROLES,
    AgeGroup,
    HeadStatus,
    Interest,
    Language,
    MembershipStatus,
    Role,
    Subject,
)
from accounts.forms import (
    ROLE_HELP,
    NewSchoolForm,
    PasswordConfirmForm,
    ProfileForm,
    RoleForm,
    SchoolSearchForm,
)
from accounts.models import MembershipChange, School, SchoolMembership, TeacherProfile

Step = TeacherProfile.Step
STEPS = [Step.ROLE, Step.PROFILE, Step.SCHOOL, Step.DONE]
SEARCH_PAGE = 20
TEACHERS_PAGE = 20


# --- Registration wizard ----------------------------------------------------------------


def _steps_nav(profile: TeacherProfile, current: str) -> list[dict]:
    reached = STEPS.index(profile.step)
    return [
        {
            "key": step.value,
            "label": step.label,
            "number": i + 1,
            "current": step == current,
            "done": i < reached and step != current,
            "reachable": i <= reached,
        }
        for i, step in enumerate(STEPS[:-1])
    ]


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The wizard: role, profile (R1), school (R3). The teacher may leave at any step and
    comes back to where they stopped (TeacherProfile.step)."""
    profile = services.get_profile(request.user)
    asked = request.POST.get("step") or request.GET.get("step") or profile.step
    if asked not in STEPS[:-1]:
        asked = profile.step
    if STEPS.index(asked) > STEPS.index(profile.step):
        asked = profile.step  # no skipping ahead
    if asked == Step.DONE:
        return redirect("accounts:profile")

    ctx = {"profile": profile, "steps": _steps_nav(profile, asked), "step": asked}
    if asked == Step.ROLE:
        return _role_step(request, profile, ctx)
    if asked == Step.PROFILE:
        return _profile_step(request, profile, ctx)
    return _school_step(request, profile, ctx)


def _role_step(
    request: HttpRequest, profile: TeacherProfile, ctx: dict
) -> HttpResponse:
    form = RoleForm(request.POST or None, initial={"role": profile.role})
    if request.method == "POST" and form.is_valid():
        services.choose_role(request.user, form.cleaned_data["role"])
        return redirect(f"{reverse('accounts:register')}?step={Step.PROFILE}")
    roles = [
        {"value": value, "label": label, "help": ROLE_HELP[value]}
        for value, label in Role.choices
    ]
    selected = form["role"].value() or profile.role
    return render(
        request,
        "accounts/register_role.html",
        {**ctx, "form": form, "roles": roles, "selected": selected},
    )


def _profile_step(
    request: HttpRequest, profile: TeacherProfile, ctx: dict
) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.finish_profile_step(profile)
        return redirect(f"{reverse('accounts:register')}?step={Step.SCHOOL}")
    return render(request, "accounts/register_profile.html", {**ctx, "form": form})


def _school_step(
    request: HttpRequest, profile: TeacherProfile, ctx: dict
) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "skip":
        if profile.role in TEACHING_ROLES:
            messages.error(
                request, _("Teachers need a school to take part in projects.")
            )
            return redirect(f"{reverse('accounts:register')}?step={Step.SCHOOL}")
        services.finish_registration(profile)
        messages.success(
            request, _("Welcome to eTwinning! Your registration is complete.")
        )
        return redirect("accounts:profile")

    def chosen(school: School) -> HttpResponse:
        membership = services.request_school_membership(
            request.user, school, claim_head=profile.role == Role.HEAD
        )
        services.finish_registration(profile)
        messages.success(request, _pending_message(membership))
        return redirect("accounts:profile")

    return _school_chooser(
        request,
        on_chosen=chosen,
        template="accounts/register_school.html",
        ctx={**ctx, "can_skip": profile.role not in TEACHING_ROLES},
    )


def _pending_message(membership: SchoolMembership) -> str:
    if membership.status == MembershipStatus.AWAITING_HEAD:
        return _(
            "You are linked to %(school)s. The head of the school will first confirm "
            "that you work there; then your National Support Organisation validates "
            "your account. We will tell you by e-mail."
        ) % {"school": membership.school.name}
    return _(
        "You are linked to %(school)s. Your National Support Organisation will validate "
        "your account soon; we will tell you by e-mail."
    ) % {"school": membership.school.name}


def _school_chooser(
    request: HttpRequest,
    *,
    on_chosen: Callable[[School], HttpResponse],
    template: str,
    ctx: dict,
) -> HttpResponse:
    """The R3 school step, shared by registration, "add a school" and "move school":
    search the registered schools, or register a new one after seeing its near matches."""
    search = SchoolSearchForm(request.GET if request.GET.get("search") else None)
    results, has_more = [], False
    if search.is_bound and search.is_valid() and search.has_query:
        found = services.search_schools(
            country=search.cleaned_data["country"],
            city=search.cleaned_data["city"],
            query=search.cleaned_data["q"],
        )[: SEARCH_PAGE + 1]
        results = list(found)
        has_more = len(results) > SEARCH_PAGE
        results = results[:SEARCH_PAGE]

    default_country = (
        search.cleaned_data.get("country")
        if search.is_bound and search.is_valid()
        else None
    )
    # Prefixed: the search form on the same page has its own country and city fields.
    new_form = NewSchoolForm(
        prefix="new",
        initial={"country": default_country.code if default_country else ""},
    )
    near: list[School] = []
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "pick":
        school = School.objects.filter(pk=_int(request.POST.get("school"))).first()
        if school is None:
            messages.error(
                request, _("That school does not exist (any more). Search again.")
            )
        else:
            try:
                return on_chosen(school)
            except services.MembershipError as exc:
                messages.error(request, exc.message)
    elif action == "create":
        new_form = NewSchoolForm(request.POST, prefix="new")
        if new_form.is_valid():
            data = new_form.cleaned_data
            near = services.find_near_schools(
                data["country"], data["city"], data["name"]
            )
            if near and not data["confirm_new"]:
                messages.warning(
                    request,
                    _(
                        "Schools with a similar name are already registered in %(city)s. "
                        "Is one of them your school?"
                    )
                    % {"city": near[0].city},
                )
            else:
                registration = services.register_school(
                    name=data["name"],
                    country=data["country"],
                    city=data["city"],
                    level=data["level"],
                    address=data["address"],
                    website=data["website"],
                    registered_by=request.user,
                )
                if not registration.created:
                    messages.info(
                        request,
                        _(
                            "%(school)s was registered a moment ago by a colleague: you are linked to it."
                        )
                        % {"school": registration.school.name},
                    )
                try:
                    return on_chosen(registration.school)
                except services.MembershipError as exc:
                    messages.error(request, exc.message)
        elif new_form.existing_school is not None:
            near = [new_form.existing_school]
        if near or not new_form.is_valid():
            ctx["open_new"] = True

    # Schools the teacher is already linked to are shown as theirs, not offered again.
    linked_ids: set[int] = set()
    if results or near:
        linked_ids = set(
            request.user.memberships.exclude(
                status__in=[MembershipStatus.ENDED, MembershipStatus.REJECTED]
            ).values_list("school_id", flat=True)
        )
    ctx.update(
        {
            "search": search,
            "results": results,
            "has_more": has_more,
            "new_form": new_form,
            "near": near,
            "linked_ids": linked_ids,
        }
    )
    if request.htmx and request.method == "GET":
        return render(request, "accounts/_school_results.html", ctx)
    return render(request, template, ctx)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Profile and schools of the teacher ---------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = list(
        services.schools_of(user).prefetch_related(
            Prefetch(
                "changes",
                queryset=MembershipChange.objects.select_related("actor").order_by(
                    "-at"
                ),
            )
        )
    )
    profile = getattr(user, "profile", None)
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": profile,
            "current": [m for m in memberships if m.status not in _PAST],
            "past": [m for m in memberships if m.status in _PAST],
            **_profile_labels(profile),
        },
    )


_PAST = (MembershipStatus.ENDED, MembershipStatus.REJECTED)


def _labels(choices, values) -> list[str]:
    known = dict(choices.choices)
    return [str(known[v]) for v in values or () if v in known]


def _profile_labels(profile: TeacherProfile | None) -> dict:
    if profile is None:
        return {}
    return {
        "subject_labels": _labels(Subject, profile.subjects),
        "age_labels": _labels(AgeGroup, profile.age_groups),
        "language_labels": _labels(Language, profile.languages),
        "interest_labels": _labels(Interest, profile.interests),
    }


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def school_add(request: HttpRequest) -> HttpResponse:
    """R3a: the teacher also works at another school (confirmed on its own, R5)."""

    def chosen(school: School) -> HttpResponse:
        membership = services.add_second_school(request.user, school)
        messages.success(request, _pending_message(membership))
        return redirect("accounts:profile")

    return _school_chooser(
        request,
        on_chosen=chosen,
        template="accounts/school_choose.html",
        ctx={"mode": "add"},
    )


@login_required
def school_move(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: the teacher moves to another school and is validated again."""
    membership = get_object_or_404(
        SchoolMembership.objects.current().select_related("school__country"),
        pk=pk,
        teacher=request.user,
    )

    def chosen(school: School) -> HttpResponse:
        new = services.move_school(membership, school, actor=request.user)
        messages.success(request, _pending_message(new))
        return redirect("accounts:profile")

    return _school_chooser(
        request,
        on_chosen=chosen,
        template="accounts/school_choose.html",
        ctx={"mode": "move", "membership": membership},
    )


@login_required
@require_POST
def school_set_main(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(SchoolMembership, pk=pk, teacher=request.user)
    try:
        services.set_main_school(membership, teacher=request.user)
    except services.MembershipError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your main school is changed."))
    return redirect("accounts:profile")


# --- Head of school (R5) --------------------------------------------------------------


@login_required
def head_requests(request: HttpRequest) -> HttpResponse:
    """The confirmed head of a school confirms (or not) that new teachers work there."""
    schools = list(
        School.objects.filter(
            memberships__teacher=request.user,
            memberships__head_status=HeadStatus.CONFIRMED,
        ).select_related("country")
    )
    if request.method == "POST":
        membership = (
            SchoolMembership.objects.select_related("school", "teacher")
            .filter(pk=_int(request.POST.get("membership")))
            .first()
        )
        answer = request.POST.get("answer")
        if membership is None or not request.user.has_perm(
            "accounts.answer_as_head", membership
        ):
            raise Http404
        if answer not in ("yes", "no"):
            messages.error(request, _("Answer yes or no."))
        else:
            services.confirm_by_head(
                membership, head=request.user, works_here=answer == "yes"
            )
            messages.success(
                request,
                _(
                    "Thank you: your answer about %(name)s goes to the National Support Organisation."
                )
                % {"name": membership.teacher.display_name},
            )
        return redirect("accounts:head_requests")
    waiting = (
        SchoolMembership.objects.filter(
            school__in=schools, status=MembershipStatus.AWAITING_HEAD
        )
        .exclude(teacher=request.user)
        .select_related("teacher__profile", "school")
        .order_by("joined_at")
    )
    answered = (
        SchoolMembership.objects.filter(
            school__in=schools, head_confirmed__isnull=False
        )
        .exclude(status=MembershipStatus.ENDED)
        .select_related("teacher", "school")
        .order_by("-joined_at")[:20]
    )
    return render(
        request,
        "accounts/head_requests.html",
        {"schools": schools, "waiting": waiting, "answered": answered},
    )


# --- Public school page -----------------------------------------------------------------


def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A school's page: its data and validated teachers (paginated); projects and labels
    add their panels."""
    school = get_object_or_404(School.objects.select_related("country"), pk=pk)
    teachers = (
        school.memberships.validated()
        .select_related("teacher__profile")
        .order_by("teacher__last_name", "teacher__first_name", "pk")
    )
    page = Paginator(teachers, TEACHERS_PAGE).get_page(request.GET.get("page"))
    my_link = None
    if request.user.is_authenticated:
        my_link = (
            SchoolMembership.objects.current()
            .filter(school=school, teacher=request.user)
            .first()
        )
    return render(
        request,
        "accounts/school_detail.html",
        {"school": school, "page": page, "my_link": my_link},
    )


# --- Personal data ------------------------------------------------------------------------


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    """Everything the portal holds about me, as a JSON download."""
    data = personal_data.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="etwinning-data-{request.user.pk}.json"'
    )
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Erase my personal data; my contributions stay under an anonymous name."""
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.delete_account(user)
        logout(request)
        messages.success(
            request,
            _("Your account is deleted and your personal data erased. Goodbye!"),
        )
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
