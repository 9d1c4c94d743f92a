"""Admin of the accounts app: NSO evaluators validate teachers of their own country (R5).

Every evaluator-facing admin uses CountryScopedAdmin, so lists, searches, filters, direct
URLs, the decision buttons and bulk actions reach only the evaluator's countries.
Statuses change only through accounts.services (audit row + mail), never by editing fields.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_POST

from accounts import services
from accounts.admin_scoping import (
    CountryListFilter,
    CountryScopedAdmin,
    coloured_status,
)
from accounts.enums import MembershipStatus
from accounts.models import (
    Country,
    MembershipChange,
    School,
    SchoolMembership,
    TeacherProfile,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("eTwinning", {"fields": ("kind", "language", "evaluator_countries")}),
    )
    filter_horizontal = ("groups", "user_permissions", "evaluator_countries")


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "is_plus", "requires_project_approval")
    search_fields = ("code", "name_en")


class MembershipChangeInline(admin.TabularInline):
    model = MembershipChange
    extra = 0
    can_delete = False
    fields = ("at", "kind", "old", "new", "actor", "note")
    readonly_fields = fields
    ordering = ("-at",)
    verbose_name = _("history entry")
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# The decisions an evaluator takes, by name: (service, success message).
DECISIONS = {
    "validate": (
        services.validate_membership,
        ngettext_lazy("%(n)d teacher validated.", "%(n)d teachers validated.", "n"),
    ),
    "reject": (
        services.reject_membership,
        ngettext_lazy(
            "%(n)d school link rejected.", "%(n)d school links rejected.", "n"
        ),
    ),
    "confirm_head": (
        services.confirm_head_role,
        ngettext_lazy(
            "%(n)d head of school confirmed.", "%(n)d heads of school confirmed.", "n"
        ),
    ),
    "decline_head": (
        services.decline_head_role,
        ngettext_lazy(
            "%(n)d head of school claim declined.",
            "%(n)d head of school claims declined.",
            "n",
        ),
    ),
}


def _decide(
    membership: SchoolMembership, decision: str, actor: User, note: str = ""
) -> None:
    service = DECISIONS[decision][0]
    if decision in ("validate", "reject"):
        service(membership, actor=actor, note=note)
    else:
        service(membership, actor=actor)


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(CountryScopedAdmin):
    country_field = "school__country"
    change_form_template = "admin/accounts/schoolmembership/change_form.html"
    list_display = (
        "teacher_name",
        "school_name",
        "country_code",
        "status_badge",
        "head_answer",
        "head_status",
        "joined_at",
    )
    list_display_links = ("teacher_name",)
    list_select_related = ("teacher", "school__country")
    list_filter = (
        "status",
        "head_confirmed",
        "head_status",
        "is_main",
        CountryListFilter,
    )
    search_fields = (
        "teacher__username",
        "teacher__first_name",
        "teacher__last_name",
        "teacher__email",
        "school__name",
        "school__city",
    )
    date_hierarchy = "joined_at"
    ordering = ("-joined_at",)
    list_per_page = 50
    actions = ["validate_selected", "reject_selected", "confirm_head_selected"]
    fields = (
        "teacher",
        "teacher_details",
        "school",
        "is_main",
        "status",
        "head_answer",
        "head_status",
        "joined_at",
        "validated_at",
        "validated_by",
        "ended_at",
    )
    readonly_fields = fields
    inlines = [MembershipChangeInline]

    # --- columns -------------------------------------------------------------------------

    @admin.display(description=_("teacher"), ordering="teacher__last_name")
    def teacher_name(self, obj: SchoolMembership) -> str:
        return f"{obj.teacher.display_name} <{obj.teacher.email}>"

    @admin.display(description=_("school"), ordering="school__name")
    def school_name(self, obj: SchoolMembership) -> str:
        return f"{obj.school.name} ({obj.school.city})"

    @admin.display(description=_("country"), ordering="school__country__code")
    def country_code(self, obj: SchoolMembership) -> str:
        return obj.school.country.code

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: SchoolMembership) -> str:
        colours = {
            MembershipStatus.VALIDATED: "#198754",
            MembershipStatus.REJECTED: "#dc3545",
            MembershipStatus.ENDED: "#6c757d",
        }
        return coloured_status(obj, colours)

    @admin.display(description=_("head of school's answer"))
    def head_answer(self, obj: SchoolMembership) -> str:
        if obj.head_confirmed is True:
            return _("works at the school")
        if obj.head_confirmed is False:
            return _("does NOT work at the school")
        if obj.status == MembershipStatus.AWAITING_HEAD:
            return _("not answered yet")
        return "—"

    @admin.display(description=_("profile"))
    def teacher_details(self, obj: SchoolMembership) -> str:
        profile = getattr(obj.teacher, "profile", None)
        if profile is None:
            return "—"
        return format_html(
            "{}<br>{}: {}<br>{}: {}",
            profile.get_role_display(),
            _("profession"),
            profile.profession or "—",
            _("registered"),
            obj.teacher.date_joined.strftime("%Y-%m-%d"),
        )

    # --- permissions -------------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # teachers create their links; the NSO decides on them

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    # --- single decisions (buttons on the change page) ---------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="accounts_schoolmembership_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "decide_url": reverse(
                "admin:accounts_schoolmembership_decide", args=[object_id]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        # get_object() reads through get_queryset(): another country's row is "not found".
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        decision = request.POST.get("decision", "")
        if decision not in DECISIONS:
            messages.error(request, _("Unknown decision."))
        else:
            try:
                _decide(
                    obj, decision, request.user, request.POST.get("note", "").strip()
                )
            except services.MembershipError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, DECISIONS[decision][1] % {"n": 1})
        return HttpResponseRedirect(
            reverse("admin:accounts_schoolmembership_change", args=[obj.pk])
        )

    # --- bulk actions -----------------------------------------------------------------

    def _bulk(self, request: HttpRequest, queryset: QuerySet, decision: str) -> None:
        done, refused = 0, []
        for membership in queryset.select_related("teacher", "school"):
            try:
                _decide(membership, decision, request.user)
            except services.MembershipError as exc:
                refused.append(f"{membership.teacher.display_name}: {exc.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request, DECISIONS[decision][1] % {"n": done}, messages.SUCCESS
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(n)d not changed: %(why)s",
                    "%(n)d not changed: %(why)s",
                    len(refused),
                )
                % {"n": len(refused), "why": "; ".join(refused[:10])},
                messages.WARNING,
            )

    @admin.action(
        description=_("Validate the selected teachers"), permissions=["change"]
    )
    def validate_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "validate")

    @admin.action(
        description=_("Reject the selected school links"), permissions=["change"]
    )
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "reject")

    @admin.action(
        description=_("Confirm the selected heads of school"), permissions=["change"]
    )
    def confirm_head_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "confirm_head")


class SchoolAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = ["name", "country", "city", "address", "level", "website"]

    def clean(self) -> dict:
        # The unique keys are not form fields, so Django would not check them: say it
        # here instead of failing on the database constraint.
        data = super().clean()
        if data.get("country") and data.get("city") and data.get("name"):
            same = services.school_by_keys(data["country"], data["city"], data["name"])
            if same is not None and same.pk != self.instance.pk:
                raise forms.ValidationError(
                    _("This school is already registered as “%(name)s” in %(city)s.")
                    % {"name": same.name, "city": same.city}
                )
        return data


@admin.register(School)
class SchoolAdmin(CountryScopedAdmin):
    country_field = "country"
    form = SchoolAdminForm
    list_display = ("name", "city", "country", "level", "teachers", "registered_at")
    list_select_related = ("country",)
    list_filter = (CountryListFilter, "level")
    search_fields = ("name", "city", "name_key")
    date_hierarchy = "registered_at"
    fields = ("name", "country", "city", "address", "level", "website", "registered_at")
    readonly_fields = ("registered_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _teachers=Count(
                    "memberships",
                    filter=Q(memberships__status=MembershipStatus.VALIDATED),
                )
            )
        )

    @admin.display(description=_("validated teachers"), ordering="_teachers")
    def teachers(self, obj: School) -> int:
        return obj._teachers

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser  # teachers register schools (R3)


@admin.register(TeacherProfile)
class TeacherProfileAdmin(CountryScopedAdmin):
    country_field = "user__memberships__school__country"
    list_display = ("user", "email", "role", "experience", "step", "created_at")
    list_select_related = ("user",)
    list_filter = ("role", "step", "experience", CountryListFilter)
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
    )
    readonly_fields = ("user", "step", "created_at")

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj: TeacherProfile) -> str:
        return obj.user.email

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
