"""Views of the accounts app (registration wizard, profile, schools)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.enums import HeadStatus, MembershipStatus
from accounts.models import School, SchoolMembership, TeacherProfile


@login_required
def register(request: HttpRequest) -> HttpResponse:
    profile, _created = TeacherProfile.objects.get_or_create(user=request.user)
    return render(request, "accounts/register.html", {"profile": profile})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("school__country").order_by(
        "-is_main", "joined_at"
    )
    return render(
        request,
        "accounts/profile.html",
        {"profile": getattr(request.user, "profile", None), "memberships": memberships},
    )


@login_required
def head_requests(request: HttpRequest) -> HttpResponse:
    schools = School.objects.filter(
        memberships__teacher=request.user, memberships__head_status=HeadStatus.CONFIRMED
    )
    waiting = SchoolMembership.objects.filter(
        school__in=schools, status=MembershipStatus.AWAITING_HEAD
    ).select_related("teacher", "school")
    return render(request, "accounts/head_requests.html", {"waiting": waiting})


def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School.objects.select_related("country"), pk=pk)
    teachers = (
        school.memberships.validated()
        .select_related("teacher")
        .order_by("teacher__last_name")[:100]
    )
    return render(
        request, "accounts/school_detail.html", {"school": school, "teachers": teachers}
    )
