"""Views of the School Label: thin, the rules live in services/school.py and rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.enums import MembershipStatus
from accounts.models import School
from labels.enums import SCHOOL_LABEL_GUIDANCE, SchoolLabelSection, SchoolLabelStatus
from labels.forms.school import HeadSignatureForm, SchoolSectionForm
from labels.models import (
    SchoolEligibility,
    SchoolLabel,
    SchoolLabelApplication,
    SchoolLabelCampaign,
    SchoolLabelInvitation,
)
from labels.models.school import MIN_ACTIVE_TEACHERS, MIN_NQL_PROJECTS
from labels.services import school as services


def published_campaigns():
    """Announced campaigns whose evaluation has not ended (older ones live on as labels)."""
    today = timezone.localdate()
    return SchoolLabelCampaign.objects.filter(
        announced_on__lte=today, evaluation_ends_on__gte=today
    )


def _my_schools(user) -> list[School]:
    return [
        m.school
        for m in user.memberships.filter(status=MembershipStatus.VALIDATED)
        .select_related("school__country")
        .order_by("-is_main", "joined_at")
    ]


def criteria_for(eligibility: SchoolEligibility | None, campaign) -> list[dict]:
    """The three criteria of R28 with the school's figures and what is missing."""
    if eligibility is None:
        return []
    cutoff = date_format(campaign.registered_before, "j F Y")
    return [
        {
            "met": eligibility.registered_in_time,
            "title": _("Registered on or before %(date)s") % {"date": cutoff},
            "figure": _("Registered on %(date)s")
            % {
                "date": date_format(
                    timezone.localtime(eligibility.registered_at), "j F Y"
                )
            },
            "missing": ""
            if eligibility.registered_in_time
            else _("Registered too recently"),
        },
        {
            "met": eligibility.active_teachers >= MIN_ACTIVE_TEACHERS,
            "title": _("At least %(n)s teachers active since %(date)s")
            % {
                "n": MIN_ACTIVE_TEACHERS,
                "date": date_format(campaign.teachers_involved_since, "j F Y"),
            },
            "figure": _("%(have)s of the %(need)s active teachers")
            % {"have": eligibility.active_teachers, "need": MIN_ACTIVE_TEACHERS},
            "missing": _("%(n)s more active teacher(s) needed")
            % {"n": eligibility.missing_teachers}
            if eligibility.missing_teachers
            else "",
        },
        {
            "met": eligibility.nql_projects >= MIN_NQL_PROJECTS,
            "title": _(
                "A European project awarded the NQL between %(start)s and %(end)s"
            )
            % {
                "start": date_format(campaign.nql_from, "j F Y"),
                "end": date_format(campaign.nql_until, "j F Y"),
            },
            "figure": _("%(n)s European NQL project(s)")
            % {"n": eligibility.nql_projects},
            "missing": _(
                "No European project with a National Quality Label in the window"
            )
            if eligibility.missing_nql
            else "",
        },
    ]


@login_required
def school_label(request: HttpRequest) -> HttpResponse:
    """The teacher's School Label page: campaign dates, each school's figures, its application."""
    campaigns = list(published_campaigns()[:3])
    schools = _my_schools(request.user)
    school_ids = [s.pk for s in schools]
    campaign_ids = [c.pk for c in campaigns]
    # Stored rows for the schools stage one could select, the others' figures computed
    # for these schools alone: two queries per published campaign (at most three).
    eligibilities = {
        (campaign.pk, school_id): e
        for campaign in campaigns
        for school_id, e in services.eligibilities_for(campaign, schools).items()
    }
    applications = {
        (a.campaign_id, a.school_id): a
        for a in SchoolLabelApplication.objects.filter(
            campaign_id__in=campaign_ids, school_id__in=school_ids
        )
    }
    invited = set(
        SchoolLabelInvitation.objects.filter(
            campaign_id__in=campaign_ids, teacher=request.user
        ).values_list("campaign_id", flat=True)
    )
    labels = SchoolLabel.objects.filter(school_id__in=school_ids).select_related(
        "school", "campaign"
    )
    rows = []
    for campaign in campaigns:
        for school in schools:
            eligibility = eligibilities.get((campaign.pk, school.pk))
            rows.append(
                {
                    "campaign": campaign,
                    "school": school,
                    "eligibility": eligibility,
                    "criteria": criteria_for(eligibility, campaign),
                    "application": applications.get((campaign.pk, school.pk)),
                    "invited": campaign.pk in invited,
                    "can_start": bool(eligibility and eligibility.selected)
                    and campaign.is_open(),
                }
            )
    return render(
        request,
        "labels/school/overview.html",
        {"campaigns": campaigns, "rows": rows, "labels": labels, "schools": schools},
    )


@require_POST
@login_required
def school_label_start(
    request: HttpRequest, campaign_id: int, school_id: int
) -> HttpResponse:
    campaign = get_object_or_404(SchoolLabelCampaign, pk=campaign_id)
    school = get_object_or_404(School, pk=school_id)
    try:
        application, created = services.start_application(
            campaign, school, actor=request.user
        )
    except services.SchoolLabelError as exc:
        messages.error(request, str(exc))
        return redirect("labels:school_label")
    if not created:
        messages.info(
            request, _("Your school's application was already started: you joined it.")
        )
    return redirect(application)


def _application_for(request: HttpRequest, pk: int) -> SchoolLabelApplication:
    application = get_object_or_404(
        SchoolLabelApplication.objects.select_related(
            "campaign", "school__country", "signed_by", "started_by", "submitted_by"
        ).prefetch_related("sections__updated_by"),
        pk=pk,
    )
    if not request.user.has_perm("labels.edit_school_label_application", application):
        raise Http404
    return application


@login_required
def school_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for(request, pk)
    sections = sorted(
        application.sections.all(), key=lambda s: SchoolLabelSection.values.index(s.key)
    )
    is_head = request.user.has_perm("labels.sign_school_label_application", application)
    complete = all(s.is_complete for s in sections)
    signature_valid = services.signature_is_valid(application)
    past_deadline = application.campaign.is_past_deadline()
    return render(
        request,
        "labels/school/application.html",
        {
            "application": application,
            "sections": sections,
            "done": sum(s.is_complete for s in sections),
            "complete": complete,
            "is_head": is_head,
            "signature_valid": signature_valid,
            "past_deadline": past_deadline,
            "editable": application.is_editable_status and not past_deadline,
            "assessments": application.assessments.all()
            if application.status != SchoolLabelStatus.DRAFT
            else [],
            "label": SchoolLabel.objects.filter(application=application).first(),
            "events": application.events.select_related("actor")[:20],
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get(
        "X-Autosave"
    ) == "1" or "application/json" in request.headers.get("Accept", "")


@login_required
def school_section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Edit one section; autosave posts here too (X-Autosave: 1) and gets JSON back."""
    application = _application_for(request, pk)
    if key not in SchoolLabelSection.values:
        raise Http404
    section = next(s for s in application.sections.all() if s.key == key)
    conflict = None
    if request.method == "POST":
        form = SchoolSectionForm(request.POST, instance=section)
        if form.is_valid():
            data = {f: form.cleaned_data.get(f, "") for f in services.SECTION_FIELDS}
            try:
                saved = services.save_section(
                    application,
                    key,
                    data,
                    base_version=form.cleaned_data["version"],
                    actor=request.user,
                )
            except services.EditConflict as exc:
                conflict = exc.section
                if _wants_json(request):
                    return JsonResponse(
                        {
                            "ok": False,
                            "error": "conflict",
                            "message": str(exc),
                            "version": conflict.version,
                            "fields": {
                                f: getattr(conflict, f) for f in services.SECTION_FIELDS
                            },
                        },
                        status=409,
                    )
                messages.warning(request, str(exc))
            except services.SchoolLabelError as exc:
                if _wants_json(request):
                    return JsonResponse(
                        {"ok": False, "error": "refused", "message": str(exc)},
                        status=400,
                    )
                messages.error(request, str(exc))
            else:
                if _wants_json(request):
                    saved_at = (
                        timezone.localtime(saved.updated_at).strftime("%H:%M")
                        if saved.updated_at
                        else ""
                    )
                    return JsonResponse(
                        {
                            "ok": True,
                            "version": saved.version,
                            "saved_at": saved_at,
                            "updated_at": saved.updated_at.isoformat()
                            if saved.updated_at
                            else "",
                            "message": _("Saved at %(time)s") % {"time": saved_at},
                        }
                    )
                messages.success(request, _("Section saved."))
                if "next" in request.POST:
                    return redirect(application)
                return redirect("labels:school_section", pk=application.pk, key=key)
        elif _wants_json(request):
            return JsonResponse(
                {"ok": False, "error": "invalid", "message": str(form.errors)},
                status=400,
            )
        if conflict is not None:
            # Keep what this teacher typed, but base the next save on the colleague's version.
            post = request.POST.copy()
            post["version"] = str(conflict.version)
            # Bound to the stale copy: validating a ModelForm writes into its instance,
            # and `conflict` must keep the colleague's text for display.
            form = SchoolSectionForm(post, instance=section)
            form.is_valid()
    else:
        form = SchoolSectionForm(instance=section)
    keys = SchoolLabelSection.values
    index = keys.index(key)
    return render(
        request,
        "labels/school/section.html",
        {
            "application": application,
            "section": section,
            "form": form,
            "conflict": conflict,
            "guidance": SCHOOL_LABEL_GUIDANCE.get(key),
            "step": index + 1,
            "steps": len(keys),
            "previous_key": keys[index - 1] if index > 0 else None,
            "next_key": keys[index + 1] if index + 1 < len(keys) else None,
            "editable": application.is_editable_status
            and not application.campaign.is_past_deadline(),
        },
    )


@login_required
def school_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """R33: the head reads the whole application and signs it."""
    application = _application_for(request, pk)
    if not request.user.has_perm("labels.sign_school_label_application", application):
        raise PermissionDenied
    sections = sorted(
        application.sections.all(), key=lambda s: SchoolLabelSection.values.index(s.key)
    )
    form = HeadSignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_application(
                application,
                head=request.user,
                typed_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except services.SchoolLabelError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("You signed the application. Your colleagues can submit it now."),
            )
            return redirect(application)
    return render(
        request,
        "labels/school/sign.html",
        {
            "application": application,
            "sections": sections,
            "form": form,
            "complete": all(s.is_complete for s in sections),
            "digest": services.content_digest(application),
        },
    )


@require_POST
@login_required
def school_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for(request, pk)
    try:
        services.submit_school_application(application, actor=request.user)
    except services.SchoolLabelError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Submitted. Your National Support Organisation will evaluate it."),
        )
    return redirect(application)


@login_required
def school_certificate(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The certificate as PNG or PDF, for the school's teachers and staff (R35)."""
    if fmt not in ("png", "pdf"):
        raise Http404
    label = get_object_or_404(
        SchoolLabel.objects.select_related(
            "school__country", "campaign", "application"
        ),
        code=code,
    )
    if not (
        request.user.is_staff
        or request.user.has_perm(
            "labels.edit_school_label_application", label.application
        )
    ):
        raise Http404
    verify_url = request.build_absolute_uri(
        reverse("labels:verify") + f"?code={label.code}"
    )
    if fmt == "png":
        body, content_type = services.certificate_png(label, verify_url), "image/png"
    else:
        body, content_type = (
            services.certificate_pdf(label, verify_url),
            "application/pdf",
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="etwinning-school-{label.code}.{fmt}"'
    )
    return response


def school_label_panel(request: HttpRequest, school: School):
    """School page: the labels the school holds (R35)."""
    labels = list(
        school.school_labels.select_related("campaign").order_by("-awarded_at")[:4]
    )
    if not labels:
        return None
    return "labels/school/panel_school.html", {"labels": labels, "school": school}


def school_label_dashboard_panel(request: HttpRequest, user):
    """Dashboard: the teacher's School Label invitation or their schools' standing."""
    from accounts.rules import is_validated_teacher

    if not is_validated_teacher(user):
        return None  # pupils, evaluators, staff and teachers without a validated school
    campaign = published_campaigns().first()
    if campaign is None:
        return None
    invitation = (
        SchoolLabelInvitation.objects.filter(campaign=campaign, teacher=user)
        .select_related("school")
        .first()
    )
    application = None
    if invitation:
        application = SchoolLabelApplication.objects.filter(
            campaign=campaign, school=invitation.school_id
        ).first()
    return (
        "labels/school/panel_dashboard.html",
        {"campaign": campaign, "invitation": invitation, "application": application},
    )


__all__ = [
    "school_application",
    "school_certificate",
    "school_label",
    "school_label_dashboard_panel",
    "school_label_panel",
    "school_label_start",
    "school_section",
    "school_sign",
    "school_submit",
]
