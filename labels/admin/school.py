"""Admin for School Label campaigns (central staff) and applications (NSO evaluators, R34)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import CountryScopedAdmin, evaluator_country_ids
from labels.enums import SchoolLabelSection, SchoolLabelStatus
from labels.models import (
    PDActivity,
    PDParticipation,
    SchoolEligibility,
    SchoolLabel,
    SchoolLabelApplication,
    SchoolLabelAssessment,
    SchoolLabelCampaign,
    SchoolLabelEvent,
    SchoolLabelInvitation,
)
from labels.services import school as services


def _paragraphs(text: str) -> str:
    """The teacher's text as escaped paragraphs."""
    return mark_safe(linebreaks(text or "—", autoescape=True))  # noqa: S308 - escaped above


class CentralStaffOnly(admin.ModelAdmin):
    """Campaigns and the PD catalogue are run by central support staff (superusers)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(SchoolLabelCampaign)
class SchoolLabelCampaignAdmin(CentralStaffOnly):
    list_display = (
        "name",
        "announced_on",
        "opens_on",
        "deadline",
        "evaluation_ends_on",
        "stage_one_finished_at",
        "selected_count",
        "invited_count",
    )
    readonly_fields = (
        "stage_one_started_at",
        "stage_one_finished_at",
        "selected_count",
        "invited_count",
    )
    fieldsets = (
        (None, {"fields": ("name",)}),
        (
            _("Published dates (R27)"),
            {"fields": ("announced_on", "opens_on", "deadline", "evaluation_ends_on")},
        ),
        (
            _("Stage-one cut-offs (R28); empty = the defaults"),
            {
                "fields": (
                    "registered_before",
                    "teachers_involved_since",
                    "nql_from",
                    "nql_until",
                )
            },
        ),
        (
            _("Stage one"),
            {
                "fields": (
                    "stage_one_started_at",
                    "stage_one_finished_at",
                    "selected_count",
                    "invited_count",
                )
            },
        ),
    )
    actions = ["run_stage_one"]

    @admin.action(description=_("Run stage one now (select schools, invite teachers)"))
    def run_stage_one(self, request: HttpRequest, queryset) -> None:
        from labels.tasks import task_select_stage_one

        ids = list(queryset.values_list("pk", flat=True))
        for campaign_id in ids:
            transaction.on_commit(
                lambda cid=campaign_id: task_select_stage_one.delay(cid)
            )
        self.message_user(
            request,
            _("Stage one queued for %(n)s campaign(s).") % {"n": len(ids)},
            messages.SUCCESS,
        )


@admin.register(PDActivity)
class PDActivityAdmin(CentralStaffOnly):
    list_display = ("title", "kind", "starts_on", "ends_on", "for_school_label")
    list_filter = ("kind", "for_school_label")
    search_fields = ("title",)


@admin.register(PDParticipation)
class PDParticipationAdmin(CentralStaffOnly):
    list_display = ("teacher", "activity", "participated_on")
    list_select_related = ("teacher", "activity")
    raw_id_fields = ("teacher", "activity")
    search_fields = ("teacher__username", "teacher__last_name", "activity__title")


class ReadOnlyScopedAdmin(CountryScopedAdmin):
    """Rows the portal computes or awards: evaluators of the school's country and central
    staff read them; nobody adds, edits or deletes them by hand."""

    country_field = "school__country"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or bool(evaluator_country_ids(request.user))

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)


@admin.register(SchoolEligibility)
class SchoolEligibilityAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "school",
        "campaign",
        "registered_in_time",
        "active_teachers",
        "nql_projects",
        "selected",
    )
    list_filter = ("campaign", "selected")
    list_select_related = ("school", "campaign")
    search_fields = ("school__name",)
    readonly_fields = [f.name for f in SchoolEligibility._meta.fields]


@admin.register(SchoolLabelInvitation)
class SchoolLabelInvitationAdmin(ReadOnlyScopedAdmin):
    list_display = ("teacher", "school", "campaign", "created_at", "mailed_at")
    list_filter = ("campaign",)
    list_select_related = ("teacher", "school", "campaign")
    search_fields = ("teacher__username", "teacher__last_name", "school__name")
    readonly_fields = [f.name for f in SchoolLabelInvitation._meta.fields]


class AssessmentInline(admin.TabularInline):
    model = SchoolLabelAssessment
    extra = 0
    fields = ("key", "rating", "comment", "evaluator")
    readonly_fields = ("evaluator",)

    formfield_overrides = {
        # A short comment box per section keeps the six rows on one screen.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
    }

    def _missing(self, obj) -> list[str]:
        done = set(obj.assessments.values_list("key", flat=True)) if obj else set()
        return [key for key in SchoolLabelSection.values if key not in done]

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return len(self._missing(obj)) if obj is not None else 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        initial = [{"key": key} for key in self._missing(obj)]

        class OneRowPerSection(formset):
            # The empty rows come named after the sections still to assess.
            def __init__(self, *args, **kw):
                kw.setdefault("initial", initial)
                super().__init__(*args, **kw)

        return OneRowPerSection

    def has_add_permission(self, request, obj=None) -> bool:
        return True

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == SchoolLabelStatus.SUBMITTED

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return True


class EventInline(admin.TabularInline):
    model = SchoolLabelEvent
    extra = 0
    fields = ("at", "kind", "old", "new", "actor", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return True


class DecisionForm(forms.ModelForm):
    """The evaluator's decision with feedback (R34); saving without a decision keeps the status."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=(
            ("", _("No decision yet (save the assessments)")),
            ("award", _("Award the eTwinning School Label")),
            ("reject", _("Return to the school for improvement")),
        ),
    )
    decision_feedback = forms.CharField(
        label=_("Feedback with this decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = SchoolLabelApplication
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and self.instance.status != SchoolLabelStatus.SUBMITTED:
            raise forms.ValidationError(
                _("Only a submitted application can be decided.")
            )
        if decision == "reject" and not data.get("decision_feedback", "").strip():
            self.add_error("decision_feedback", _("Tell the school what to improve."))
        return data


@admin.register(SchoolLabelApplication)
class SchoolLabelApplicationAdmin(CountryScopedAdmin):
    country_field = "school__country"
    form = DecisionForm
    list_display = (
        "school",
        "country",
        "campaign",
        "status",
        "submitted_at",
        "is_signed",
    )
    list_filter = ("campaign", "status")
    list_select_related = ("school__country", "campaign")
    search_fields = ("school__name",)
    inlines = [AssessmentInline, EventInline]
    readonly_fields = (
        "school",
        "campaign",
        "status",
        "submitted_at",
        "submitted_by",
        "signature",
        "content",
        "feedback",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "school",
                    "campaign",
                    "status",
                    "submitted_at",
                    "submitted_by",
                )
            },
        ),
        (_("Head of school's declaration (R33)"), {"fields": ("signature",)}),
        (_("The application"), {"fields": ("content",)}),
        (
            _("Decision (R34)"),
            {"fields": ("feedback", "decision", "decision_feedback")},
        ),
    )

    @admin.display(description=_("country"), ordering="school__country__name_en")
    def country(self, obj) -> str:
        return obj.school.country.name

    @admin.display(boolean=True, description=_("signed"))
    def is_signed(self, obj) -> bool:
        return obj.is_signed

    @admin.display(description=_("signature"))
    def signature(self, obj) -> str:
        if not obj.is_signed:
            return _("Not signed")
        valid = services.signature_is_valid(obj)
        return format_html(
            "{} · {} · SHA-256 <code>{}</code> · <strong>{}</strong>",
            obj.signed_name,
            obj.signed_at,
            obj.signed_digest,
            _("valid") if valid else _("does not match the content"),
        )

    @admin.display(description=_("sections"))
    def content(self, obj) -> str:
        order = SchoolLabelSection.values
        sections = sorted(obj.sections.all(), key=lambda s: order.index(s.key))
        return format_html_join(
            "",
            '<div class="module" style="margin-bottom:1em"><h3>{}</h3>{}'
            "<p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}{}</div>",
            (
                (
                    s.get_key_display(),
                    format_html("<p><em>{}</em></p>", s.get_policy_display())
                    if s.policy
                    else "",
                    _("Description"),
                    _paragraphs(s.description),
                    _("Evidence"),
                    _paragraphs(s.evidence),
                    format_html(
                        "<p><strong>{}</strong></p>{}",
                        _("Plans for the next two years"),
                        _paragraphs(s.plans),
                    )
                    if not s.is_online_safety
                    else "",
                )
                for s in sections
            ),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or bool(evaluator_country_ids(request.user))

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is SchoolLabelAssessment:
            for item in formset.save(commit=False):
                item.evaluator = request.user
                item.save()
            return
        formset.save()

    def save_model(self, request, obj, form, change) -> None:
        # The status only changes through the service (audit row, label, mail).
        decision = form.cleaned_data.get("decision")
        if decision:
            try:
                services.decide_school_application(
                    obj,
                    award=decision == "award",
                    actor=request.user,
                    feedback=form.cleaned_data.get("decision_feedback", ""),
                )
            except services.SchoolLabelError as exc:
                self.message_user(request, str(exc), messages.ERROR)


@admin.register(SchoolLabel)
class SchoolLabelAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "title",
        "school",
        "code",
        "valid_from",
        "valid_until",
        "awarded_at",
    )
    list_filter = ("campaign",)
    list_select_related = ("school", "campaign")
    search_fields = ("school__name", "code")
    readonly_fields = [f.name for f in SchoolLabel._meta.fields]
