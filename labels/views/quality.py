"""Views of the National Quality Label: apply (R16-R21), drafts that never lose text
(R25), certificates (R26a). Thin: every state change is in labels.services.quality."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from labels.enums import QUALITY_CHECKLISTS, NQLStatus, QualityCriterion
from labels.forms.quality import (
    EligibilityForm,
    EvidenceFileForm,
    PupilCertificateForm,
    QualityApplicationForm,
)
from labels.models.quality import (
    PupilQualityCertificate,
    QualityEvidenceFile,
    QualityLabelApplication,
)
from labels.services import quality as services
from labels.services.quality_pdf import pupil_certificate_pdf, teacher_certificate_pdf
from projects.models import Project

# The form's sections, in order: the five criteria of R22 with their checklists, then
# the teacher's own contribution (R20) and what TwinSpace does not show (R24).
SECTIONS = [
    (key, label, QUALITY_CHECKLISTS[key]) for key, label in QualityCriterion.choices
]


def login_required_json(view):
    """Like login_required, but an expired session answers 401 JSON, not a redirect,
    so the autosave script can keep the text and save it after the next sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "ok": False,
                    "error": "session_expired",
                    "message": _(
                        "Your session has expired. What you typed is kept in this "
                        "browser and will be saved after you sign in again."
                    ),
                    "login_url": reverse("account_login"),
                },
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _own_application(request: HttpRequest, pk: int) -> QualityLabelApplication:
    application = get_object_or_404(
        QualityLabelApplication.objects.select_related("project", "school__country"),
        pk=pk,
    )
    if application.teacher_id != request.user.pk:
        raise Http404
    return application


def _saved_at(application: QualityLabelApplication) -> str:
    return time_format(timezone.localtime(application.updated_at), "H:i")


@login_required
@require_http_methods(["GET", "POST"])
def quality_apply(request: HttpRequest, project_id: int) -> HttpResponse:
    """R16-R17, R20: the five questions, then a draft is created."""
    project = get_object_or_404(Project, pk=project_id)
    existing = QualityLabelApplication.objects.filter(
        teacher=request.user, project=project
    ).first()
    if existing is not None:
        messages.info(
            request,
            _(
                "You have already applied for this project's Quality Label. The label is "
                "personal: one application per teacher and project. Here is yours."
            ),
        )
        return redirect("labels:quality_edit", existing.pk)
    try:
        services.check_can_apply(request.user, project)
    except services.QualityLabelRefused as refusal:
        return render(
            request,
            "labels/quality/refused.html",
            {"project": project, "reason": refusal.message},
            status=403,
        )
    form = EligibilityForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                request.user, project, answers=form.answers()
            )
        except services.QualityLabelRefused as exc:
            refusal = exc.message
        else:
            return redirect("labels:quality_edit", application.pk)
    return render(
        request,
        "labels/quality/apply.html",
        {"project": project, "form": form, "refusal": refusal},
    )


@login_required
@require_http_methods(["GET", "POST"])
def quality_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form (no-JS path: the buttons post it; JS adds autosave)."""
    application = _own_application(request, pk)
    if not application.is_draft:
        return _application_summary(request, application)
    conflict = None
    form = QualityApplicationForm(
        request.POST or None, instance=application, prefix=None
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in QualityLabelApplication.ANSWER_FIELDS}
        try:
            application = services.save_draft(
                application,
                actor=request.user,
                data=data,
                base_version=form.cleaned_data["version"],
            )
        except services.DraftConflict as exc:
            # Keep what this tab typed in the form, show the other text beside it, and
            # base the next save on the newer version: the teacher decides.
            conflict = {
                f: getattr(exc.current, f)
                for f in QualityLabelApplication.ANSWER_FIELDS
                if getattr(exc.current, f) != data[f]
            }
            post = request.POST.copy()
            post["version"] = exc.current.version
            form = QualityApplicationForm(post, instance=exc.current)
            form.is_valid()
            messages.warning(
                request,
                _(
                    "This draft was changed in another tab or window. Your text is still "
                    "in the form; the other version is shown under each field that "
                    "differs. Save again to keep yours."
                ),
            )
        except services.QualityLabelRefused as exc:
            messages.error(request, exc.message)
        else:
            if "submit" in request.POST:
                try:
                    services.submit_application(application, actor=request.user)
                except services.QualityLabelRefused as exc:
                    messages.error(request, exc.message)
                    form = QualityApplicationForm(instance=application)
                else:
                    messages.success(
                        request,
                        _(
                            "Your application has been submitted. Your National Support "
                            "Organisation will evaluate it and tell you its decision."
                        ),
                    )
                    return redirect("labels:quality_edit", application.pk)
            else:
                messages.success(
                    request,
                    _("Draft saved at %(time)s.") % {"time": _saved_at(application)},
                )
                return redirect("labels:quality_edit", application.pk)
    elif request.method == "POST":
        messages.error(
            request,
            _("Please correct the highlighted fields; nothing you typed was lost."),
        )
    sections = [
        (key, label, checklist, form[key], (conflict or {}).get(key))
        for key, label, checklist in SECTIONS
    ]
    extra = [
        (name, form[name], (conflict or {}).get(name))
        for name in ("own_contribution", "not_visible", "evidence_links")
    ]
    return render(
        request,
        "labels/quality/edit.html",
        {
            "application": application,
            "project": application.project,
            "form": form,
            "sections": sections,
            "extra_fields": extra,
            "evidence_form": EvidenceFileForm(),
            "evidence_files": application.evidence_files.all(),
            "saved_at": _saved_at(application),
            "missing": application.missing_fields(),
            "conflict": conflict,
        },
    )


def _application_summary(
    request: HttpRequest, application: QualityLabelApplication
) -> HttpResponse:
    """A submitted application: read-only answers, status history and decision."""
    sections = [
        (label, checklist, getattr(application, key))
        for key, label, checklist in SECTIONS
    ]
    return render(
        request,
        "labels/quality/summary.html",
        {
            "application": application,
            "project": application.project,
            "sections": sections,
            "evidence_files": application.evidence_files.all(),
            "history": application.status_changes.select_related("actor"),
            "evaluation": application.evaluations.first()
            if application.status in (NQLStatus.AWARDED, NQLStatus.REJECTED)
            else None,
        },
    )


@require_POST
@login_required_json
def quality_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """R25: the autosave endpoint. 200 saved, 401 session expired (see decorator),
    409 another tab saved first (the other text is returned), 400/403 refused."""
    application = get_object_or_404(QualityLabelApplication, pk=pk)
    if application.teacher_id != request.user.pk:
        return JsonResponse({"ok": False, "error": "forbidden"}, status=403)
    try:
        base_version = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"ok": False, "error": "version"}, status=400)
    data = {
        f: request.POST[f]
        for f in QualityLabelApplication.ANSWER_FIELDS
        if f in request.POST
    }
    try:
        application = services.save_draft(
            application, actor=request.user, data=data, base_version=base_version
        )
    except services.DraftConflict as exc:
        return JsonResponse(
            {
                "ok": False,
                "error": "conflict",
                "message": _(
                    "This draft was changed in another tab or window at %(time)s. Your "
                    "text is kept here; the other version is shown under each field "
                    "that differs."
                )
                % {"time": _saved_at(exc.current)},
                "version": exc.current.version,
                "fields": {
                    f: getattr(exc.current, f)
                    for f in QualityLabelApplication.ANSWER_FIELDS
                },
            },
            status=409,
        )
    except services.QualityLabelRefused as exc:
        return JsonResponse(
            {"ok": False, "error": exc.code, "message": str(exc.message)}, status=400
        )
    return JsonResponse(
        {
            "ok": True,
            "version": application.version,
            "saved_at": _saved_at(application),
            "updated_at": application.updated_at.isoformat(),
            "message": _("Saved at %(time)s") % {"time": _saved_at(application)},
        }
    )


@login_required
@require_POST
def quality_evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = EvidenceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence_file(
                application, form.cleaned_data["file"], actor=request.user
            )
        except services.QualityLabelRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file was added to your evidence."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(reverse("labels:quality_edit", args=[pk]) + "#evidence")


@login_required
@require_POST
def quality_evidence_remove(
    request: HttpRequest, pk: int, file_id: int
) -> HttpResponse:
    application = _own_application(request, pk)
    evidence = get_object_or_404(
        QualityEvidenceFile, pk=file_id, application=application
    )
    try:
        services.remove_evidence_file(evidence, actor=request.user)
    except services.QualityLabelRefused as exc:
        messages.error(request, exc.message)
    return redirect(reverse("labels:quality_edit", args=[pk]) + "#evidence")


@login_required
def quality_evidence_download(
    request: HttpRequest, pk: int, file_id: int
) -> HttpResponse:
    """Evidence is private: the applicant, or an evaluator who may evaluate it."""
    evidence = get_object_or_404(
        QualityEvidenceFile.objects.select_related("application__school"),
        pk=file_id,
        application_id=pk,
    )
    application = evidence.application
    if not (
        application.teacher_id == request.user.pk
        or request.user.is_superuser
        or services.can_evaluate(request.user, application)
    ):
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name
    )


@login_required
def quality_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The teacher's National Quality Label certificate (PDF)."""
    application = _own_application(request, pk)
    if not application.is_awarded:
        raise Http404
    pdf = teacher_certificate_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="quality-label-{application.pk}.pdf"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def quality_pupil_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """R26a: the teacher issues certificates to their pupils in the project."""
    application = _own_application(request, pk)
    if not application.is_awarded:
        raise Http404
    pupils = services.project_pupils(application.project, request.user)
    choices = [(str(p.pk), p.display_name) for p in pupils]
    form = PupilCertificateForm(request.POST or None, pupil_choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = {str(pk) for pk in form.cleaned_data.get("pupils", [])}
        issued = services.issue_pupil_certificates(
            application,
            actor=request.user,
            pupils=[p for p in pupils if str(p.pk) in chosen],
            names=form.cleaned_data["name_list"],
        )
        messages.success(
            request,
            _("%(count)s pupil certificates are ready to download.")
            % {"count": len(issued)},
        )
        return redirect("labels:quality_pupils", application.pk)
    return render(
        request,
        "labels/quality/pupils.html",
        {
            "application": application,
            "project": application.project,
            "form": form,
            "certificates": application.pupil_certificates.all(),
            "from_twinspace": bool(choices),
        },
    )


@login_required
def quality_pupil_certificate(
    request: HttpRequest, pk: int, cert_id: int
) -> HttpResponse:
    application = _own_application(request, pk)
    certificate = get_object_or_404(
        PupilQualityCertificate, pk=cert_id, application=application
    )
    pdf = pupil_certificate_pdf(certificate)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="pupil-certificate-{certificate.pk}.pdf"'
    )
    return response


# --- panels on other apps' pages (accounts.panels) --------------------------


def project_panel(request: HttpRequest, project: Project) -> tuple[str, dict] | None:
    """On the project page: its labels (NQL holders, EQL) and the user's way to apply."""
    from labels.rules import can_apply_for_quality_label

    user = getattr(request, "user", None)
    awarded = list(
        QualityLabelApplication.objects.filter(
            project=project, status=NQLStatus.AWARDED
        ).select_related("teacher", "school__country")
    )
    european = list(project.european_labels.all())
    mine = None
    can_apply = False
    if user is not None and user.is_authenticated:
        mine = QualityLabelApplication.objects.filter(
            project=project, teacher=user
        ).first()
        can_apply = mine is None and can_apply_for_quality_label(user, project)
    is_member = bool(
        user and user.is_authenticated and project.members.filter(teacher=user).exists()
    )
    if not (awarded or european or mine or can_apply or is_member):
        return None
    return (
        "labels/quality/panel_project.html",
        {
            "project": project,
            "awarded": awarded,
            "european": european,
            "mine": mine,
            "can_apply": can_apply,
            "is_member": is_member,
        },
    )


def dashboard_panel(request: HttpRequest, user) -> tuple[str, dict] | None:
    """On the dashboard: the teacher's applications and their statuses."""
    if user is None or not user.is_authenticated or user.is_pupil:
        return None
    applications = list(
        QualityLabelApplication.objects.filter(teacher=user)
        .select_related("project")
        .order_by("-created_at")
    )
    if not applications:
        return None
    return "labels/quality/panel_dashboard.html", {"applications": applications}


def profile_panel(request: HttpRequest, user) -> tuple[str, dict] | None:
    """On a teacher's profile: the Quality Labels they hold."""
    if user is None or getattr(user, "is_pupil", False):
        return None
    awarded = list(
        QualityLabelApplication.objects.filter(
            teacher=user, status=NQLStatus.AWARDED
        ).select_related("project")
    )
    if not awarded:
        return None
    own = bool(request and request.user.is_authenticated and request.user.pk == user.pk)
    return "labels/quality/panel_profile.html", {"awarded": awarded, "own": own}
