"""Admin for the National and European Quality Label (R21, R23, R26).

NSO evaluators see only submitted applications of their countries' schools (never
their own school's), score them on the rubric and decide; central staff edit the
rubric, per-country settings, and award the European Quality Label.
"""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import CountryScopedAdmin, evaluator_country_ids
from labels.enums import (
    QUALITY_CHECKLISTS,
    QUALITY_SUBCRITERION_OF,
    EQLCandidateStatus,
    NQLStatus,
    QualityCriterion,
)
from labels.forms.quality import EvaluationForm
from labels.models.quality import (
    EuropeanQualityLabel,
    EuropeanQualityLabelCandidate,
    QualityCountrySettings,
    QualityLabelApplication,
    QualityRubric,
    school_year_of,
)
from labels.services import quality as services


class SchoolYearFilter(admin.SimpleListFilter):
    title = _("school year")
    parameter_name = "school_year"

    def lookups(self, request, model_admin):
        current = school_year_of()
        return [
            (str(y), f"{y}-{str(y + 1)[-2:]}") for y in range(current, current - 5, -1)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(school_year=int(self.value()))
        return queryset


class ProjectFilter(admin.SimpleListFilter):
    """Projects whose applications wait for the evaluator (submitted or under evaluation in
    their scope), the first 50 by title; any other project is found with the search box.

    Listing every project with an application in a country meant a DISTINCT over thousands
    of rows on each page view (73 ms at full scale) for a list nobody can scroll."""

    title = _("project waiting")
    parameter_name = "project"

    def lookups(self, request, model_admin):
        qs = model_admin.get_queryset(request).filter(
            status__in=(NQLStatus.SUBMITTED, NQLStatus.UNDER_EVALUATION)
        )
        return list(
            qs.order_by("project__title")
            .values_list("project_id", "project__title")
            .distinct()[:50]
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(project_id=self.value())
        return queryset


@admin.register(QualityLabelApplication)
class QualityLabelApplicationAdmin(CountryScopedAdmin):
    country_field = "country"
    list_display = (
        "project",
        "teacher_name",
        "school",
        "country_name",
        "school_year_label",
        "status",
        "submitted_at",
    )
    list_filter = ("status", SchoolYearFilter, ProjectFilter)
    search_fields = (
        "project__title",
        "teacher__first_name",
        "teacher__last_name",
        "teacher__username",
        "school__name",
        "school__city",
    )
    list_select_related = ("project", "teacher", "school", "country")
    # One COUNT over the country's applications instead of two (the unfiltered total costs
    # ~30 ms at full scale and the evaluator gets it by clearing the filters).
    show_full_result_count = False
    # Rendering is most of this page's time (about 1 ms per row at full scale, the SQL
    # under 20 ms): fifty rows a page keeps it quick under load.
    list_per_page = 50
    ordering = ("-submitted_at",)
    actions = ("start_evaluation", "export_csv")
    change_form_template = "labels/quality/admin_review.html"

    # -- scoping: drafts are private; an evaluator never sees their own school's
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request).exclude(status=NQLStatus.DRAFT)
        if not request.user.is_superuser:
            own = request.user.memberships.values("school_id")
            qs = qs.exclude(school_id__in=own).exclude(teacher=request.user)
        return qs

    def has_module_permission(self, request: HttpRequest) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.is_superuser or bool(evaluator_country_ids(request.user)))
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # "Change" is evaluating: only through the score form of the review screen.
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("teacher"), ordering="teacher__last_name")
    def teacher_name(self, obj: QualityLabelApplication) -> str:
        return obj.teacher.display_name

    @admin.display(description=_("country"), ordering="country__name_en")
    def country_name(self, obj: QualityLabelApplication) -> str:
        return obj.country.name

    @admin.display(description=_("school year"), ordering="school_year")
    def school_year_label(self, obj: QualityLabelApplication) -> str:
        return obj.school_year_label

    # -- actions (they receive the scoped queryset)
    @admin.action(description=_("Start the evaluation of the selected applications"))
    def start_evaluation(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for application in queryset.filter(status=NQLStatus.SUBMITTED).select_related(
            "school"
        ):
            try:
                services.start_evaluation(application, evaluator=request.user)
            except services.QualityLabelRefused as exc:
                self.message_user(
                    request, f"{application}: {exc.message}", messages.WARNING
                )
            else:
                done += 1
        self.message_user(
            request,
            gettext("%(count)s applications are now under evaluation.")
            % {"count": done},
        )

    @admin.action(description=_("Export the selected applications (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="quality-labels.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "project",
                "teacher",
                "school",
                "country",
                "school_year",
                "status",
                "submitted_at",
                "decided_at",
                "total",
            ]
        )
        rows = queryset.select_related(
            "project", "teacher", "school__country"
        ).annotate(last_total=Max("evaluations__total"))
        for app in rows:
            writer.writerow(
                [
                    app.pk,
                    app.project.title,
                    app.teacher.display_name,
                    app.school.name,
                    app.school.country.code,
                    app.school_year_label,
                    app.status,
                    app.submitted_at.isoformat() if app.submitted_at else "",
                    app.decided_at.isoformat() if app.decided_at else "",
                    app.last_total if app.last_total is not None else "",
                ]
            )
        return response

    # -- the review screen: answers, evidence, TwinSpace, rubric, decision
    def change_view(
        self, request: HttpRequest, object_id, form_url="", extra_context=None
    ):
        application = self.get_object(request, object_id)
        if application is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        rubric = services.current_rubric()
        can_decide = services.can_evaluate(request.user, application)
        form = EvaluationForm(
            request.POST if request.method == "POST" else None, rubric=rubric
        )
        computed = None
        if request.method == "POST" and can_decide and form.is_valid():
            try:
                services.evaluate_application(
                    application,
                    evaluator=request.user,
                    scores=form.scores(),
                    subscores=form.subscores(),
                    decision=form.cleaned_data["decision"] or None,
                    override_reason=form.cleaned_data["override_reason"],
                    comments=form.cleaned_data["comments"],
                )
            except services.QualityLabelRefused as exc:
                form.add_error(None, exc.message)
                if exc.code == "override_reason":
                    form.add_error("override_reason", exc.message)
            else:
                self.message_user(
                    request,
                    gettext("The decision was recorded and sent to the teacher."),
                )
                return HttpResponseRedirect(request.path)
        if form.is_bound and form.is_valid():
            threshold = services.threshold_for(application.school.country_id, rubric)
            total, result, reasons = services.compute_result(
                rubric, threshold, form.scores(), form.subscores()
            )
            computed = {"total": total, "result": result, "reasons": reasons}
        criteria = []
        for key, label in QualityCriterion.choices:
            subs = [
                form[f"sub_{sub}"]
                for sub, parent in QUALITY_SUBCRITERION_OF.items()
                if parent == key
            ]
            criteria.append(
                {
                    "key": key,
                    "label": label,
                    "answer": getattr(application, key),
                    "checklist": QUALITY_CHECKLISTS[key],
                    "field": form[f"score_{key}"],
                    "subfields": subs,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": application.project.title,
            "application": application,
            "original": application,
            "criteria": criteria,
            "form": form,
            "rubric": rubric,
            "threshold": services.threshold_for(application.school.country_id, rubric),
            "computed": computed,
            "can_decide": can_decide,
            "twinspace_url": _twinspace_url(application),
            "evidence_files": application.evidence_files.all(),
            "history": application.status_changes.select_related("actor"),
            "evaluations": application.evaluations.select_related(
                "evaluator", "rubric"
            ),
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_form_template, context)


def _twinspace_url(application: QualityLabelApplication) -> str | None:
    twinspace = getattr(application.project, "twinspace", None)
    try:
        return twinspace.get_absolute_url() if twinspace else None
    except (NoReverseMatch, AttributeError):
        return None


@admin.register(QualityRubric)
class QualityRubricAdmin(admin.ModelAdmin):
    """Central staff change the scale; a rubric used by a decision is never edited in
    place: saving it makes a new current version, so past decisions keep theirs."""

    list_display = (
        "version",
        "criterion_max",
        "subcriterion_min",
        "subcriterion_max",
        "default_threshold",
        "eql_average_above",
        "is_current",
        "created_at",
    )
    readonly_fields = ("version", "is_current", "created_at")

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            QualityRubric.objects.select_for_update().filter(is_current=True).exists()
            next_version = (
                QualityRubric.objects.aggregate(v=Max("version"))["v"] or 0
            ) + 1
            if change and obj.evaluations.exists():
                obj.pk = None  # keep the used version untouched
                obj.version = next_version
            elif not change:
                obj.version = next_version
            QualityRubric.objects.filter(is_current=True).exclude(pk=obj.pk).update(
                is_current=False
            )
            obj.is_current = True
            obj.save()


class CountrySettingsForm(forms.ModelForm):
    class Meta:
        model = QualityCountrySettings
        fields = ("country", "threshold", "deadline")


@admin.register(QualityCountrySettings)
class QualityCountrySettingsAdmin(CountryScopedAdmin):
    """R21/R23: an NSO sets its optional deadline; central staff set thresholds."""

    country_field = "country"
    form = CountrySettingsForm
    list_display = ("country", "threshold", "deadline")

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("threshold",)

    def has_module_permission(self, request):
        return request.user.is_staff and (
            request.user.is_superuser or bool(evaluator_country_ids(request.user))
        )

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )


@admin.register(EuropeanQualityLabelCandidate)
class EuropeanQualityLabelCandidateAdmin(CountryScopedAdmin):
    """R26: the NSO nominates (up to 25%), central staff award."""

    country_field = "country"
    list_display = (
        "project",
        "country",
        "school_year",
        "average_score",
        "status",
        "awarded",
    )
    list_filter = ("status", "school_year", "country")
    search_fields = ("project__title",)
    list_select_related = ("project", "country")
    actions = ("nominate", "award")
    readonly_fields = (
        "project",
        "country",
        "school_year",
        "average_score",
        "status",
        "nominated_by",
        "nominated_at",
    )
    change_list_template = "labels/quality/admin_eql_changelist.html"

    def has_module_permission(self, request):
        return request.user.is_staff and (
            request.user.is_superuser or bool(evaluator_country_ids(request.user))
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("European Quality Label"), boolean=True)
    def awarded(self, obj) -> bool:
        return EuropeanQualityLabel.objects.filter(
            project_id=obj.project_id, school_year=obj.school_year
        ).exists()

    @admin.action(description=_("Nominate for the European Quality Label"))
    def nominate(self, request, queryset):
        for candidate in queryset:
            try:
                services.nominate_for_european_label(candidate, actor=request.user)
            except services.QualityLabelRefused as exc:
                self.message_user(
                    request, f"{candidate}: {exc.message}", messages.WARNING
                )
            else:
                self.message_user(request, gettext("Nominated: %s") % candidate)

    @admin.action(description=_("Award the European Quality Label (central staff)"))
    def award(self, request, queryset):
        for candidate in queryset.select_related("project"):
            try:
                services.award_european_label(
                    candidate.project, candidate.school_year, actor=request.user
                )
            except services.QualityLabelRefused as exc:
                self.message_user(
                    request, f"{candidate}: {exc.message}", messages.WARNING
                )
            else:
                self.message_user(
                    request,
                    gettext("European Quality Label awarded: %s") % candidate.project,
                )

    def get_urls(self):
        return [
            path(
                "find/",
                self.admin_site.admin_view(self.find_candidates_view),
                name="labels_eql_find",
            ),
            *super().get_urls(),
        ]

    def find_candidates_view(self, request):
        """Central staff run the yearly search by hand (the beat task does it too)."""
        if not request.user.is_superuser or request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:labels_europeanqualitylabelcandidate_changelist")
            )
        try:
            year = int(request.POST.get("school_year", ""))
        except ValueError:
            year = school_year_of() - 1
        found = services.find_european_candidates(year)
        self.message_user(
            request,
            gettext("%(count)s candidate rows for %(year)s.")
            % {"count": len(found), "year": f"{year}-{str(year + 1)[-2:]}"},
        )
        return HttpResponseRedirect(
            reverse("admin:labels_europeanqualitylabelcandidate_changelist")
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "default_year": school_year_of() - 1,
            "candidate_statuses": EQLCandidateStatus,
        }
        return super().changelist_view(request, extra_context)


@admin.register(EuropeanQualityLabel)
class EuropeanQualityLabelAdmin(admin.ModelAdmin):
    list_display = ("project", "school_year", "awarded_by", "awarded_at")
    list_select_related = ("project", "awarded_by")
    search_fields = ("project__title",)
    readonly_fields = ("project", "school_year", "awarded_by", "awarded_at")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
