"""Admin of the projects app: NSO evaluators see and approve their countries' projects (R9a).

Both admins are CountryScopedAdmin: an evaluator sees only projects with a founder school in
their countries, and only the approvals of their own countries, and acts only on those.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import (
    CountryListFilter,
    CountryScopedAdmin,
    coloured_status,
)
from projects import services
from projects.enums import ApprovalStatus
from projects.models import (
    Invitation,
    Project,
    ProjectApproval,
    ProjectMember,
    ProjectStatusChange,
)


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    fields = ("teacher", "school", "role", "joined_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProjectApprovalInline(admin.TabularInline):
    model = ProjectApproval
    extra = 0
    fields = ("country", "status", "decided_by", "decided_at", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = ProjectStatusChange
    extra = 0
    fields = ("at", "old", "new", "actor", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProjectCountryFilter(CountryListFilter):
    """A project has several member schools: filtering on them must not repeat it."""

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        filtered = super().queryset(request, queryset)
        return filtered.distinct() if self.value() else filtered


@admin.register(Project)
class ProjectAdmin(CountryScopedAdmin):
    # Evaluators see the projects one of whose schools is in their countries.
    country_field = "members__school__country"
    list_display = ("title", "kind", "status", "created_at", "founded_at")
    list_filter = ("kind", "status", ProjectCountryFilter)
    search_fields = ("title",)
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [ProjectMemberInline, ProjectApprovalInline, StatusChangeInline]
    readonly_fields = (
        "kind",
        "status",
        "created_by",
        "created_at",
        "founded_at",
        "closed_at",
    )
    fields = (
        "title",
        "description",
        "objectives",
        "subjects",
        "languages",
        ("age_min", "age_max"),
        ("planned_start", "planned_end"),
        *readonly_fields,
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # teachers propose projects; the kind is fixed by found_project

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(ProjectApproval)
class ProjectApprovalAdmin(CountryScopedAdmin):
    """R9a: one row per project and founder country; approve or reject, one or many."""

    country_field = "country"
    change_form_template = "admin/projects/projectapproval/change_form.html"
    list_display = (
        "project_title",
        "country",
        "kind",
        "schools",
        "status_badge",
        "created_at",
        "decided_by",
    )
    list_select_related = ("project", "country", "decided_by")
    list_filter = ("status", CountryListFilter)
    search_fields = ("project__title",)
    ordering = ("status", "created_at")
    actions = ["approve_selected", "reject_selected"]
    fields = ("project_link", "country", "status", "decided_by", "decided_at", "note")
    readonly_fields = ("project_link", "country", "status", "decided_by", "decided_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("project__members__school__country")
        )

    @admin.display(description=_("project"), ordering="project__title")
    def project_title(self, obj: ProjectApproval) -> str:
        return obj.project.title

    @admin.display(description=_("kind"))
    def kind(self, obj: ProjectApproval) -> str:
        return obj.project.get_kind_display()

    @admin.display(description=_("schools"))
    def schools(self, obj: ProjectApproval) -> str:
        return "; ".join(
            f"{m.school.name} ({m.school.country.code})"
            for m in obj.project.members.all()
        )

    @admin.display(description=_("project"))
    def project_link(self, obj: ProjectApproval) -> str:
        return format_html(
            '<a href="{}">{}</a><br>{}',
            obj.project.get_absolute_url(),
            obj.project.title,
            obj.project.description[:500],
        )

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: ProjectApproval) -> str:
        colours = {
            ApprovalStatus.APPROVED: "#198754",
            ApprovalStatus.REJECTED: "#dc3545",
        }
        return coloured_status(obj, colours)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    # --- decisions ---------------------------------------------------------------------

    def _decide(self, request: HttpRequest, queryset: QuerySet, approve: bool) -> None:
        done, refused = 0, []
        # The queryset is already scoped to the evaluator's countries (CountryScopedAdmin).
        for approval in queryset.select_related("project"):
            try:
                services.decide_approval(
                    approval,
                    approve=approve,
                    actor=request.user,
                    note=request.POST.get("note", "")[:2000],
                )
                done += 1
            except services.ProjectRuleError as exc:
                refused.append(f"{approval.project.title}: {exc.message}")
        if done:
            self.message_user(
                request,
                ngettext("%(n)d project decided.", "%(n)d projects decided.", done)
                % {"n": done},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(
        description=_("Approve the selected projects"), permissions=["change"]
    )
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected projects"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approve=False)

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="projects_projectapproval_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        """The buttons of the change form: approve or reject this one approval."""
        if request.method != "POST" or not self.has_change_permission(request):
            return HttpResponseRedirect(
                reverse("admin:projects_projectapproval_changelist")
            )
        approval = get_object_or_404(self.get_queryset(request), pk=pk)
        self._decide(
            request,
            self.get_queryset(request).filter(pk=approval.pk),
            approve=request.POST.get("decision") == "approve",
        )
        return HttpResponseRedirect(
            reverse("admin:projects_projectapproval_changelist")
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Central staff only: a look at invitations when a teacher asks support."""

    list_display = ("project", "kind", "teacher", "sent_by", "status", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("project", "teacher", "sent_by")
    search_fields = ("project__title", "teacher__username", "teacher__email")
    raw_id_fields = ("project", "teacher", "sent_by", "school", "answered_by")
