"""Central support's view of TwinSpaces; evaluators read TwinSpaces through the site (R15)."""

from django.contrib import admin

from accounts.admin_scoping import CountryScopedAdmin
from twinspace.models import EvaluationAccess, RoleChange, TwinSpace, TwinSpaceMember


class MemberInline(admin.TabularInline):
    model = TwinSpaceMember
    fk_name = "twinspace"
    extra = 0
    fields = ("user", "role", "added_at")
    readonly_fields = ("user", "role", "added_at")
    can_delete = False


@admin.register(TwinSpace)
class TwinSpaceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at", "cover_hidden", "read_only_since")
    list_select_related = ("project",)
    list_filter = ("cover_hidden",)
    search_fields = ("project__title",)
    readonly_fields = ("project", "created_at", "read_only_since")
    inlines = [MemberInline]


@admin.register(EvaluationAccess)
class EvaluationAccessAdmin(CountryScopedAdmin):
    country_field = "country"
    list_display = ("twinspace", "country", "reason", "granted_at", "ended_at")
    list_select_related = ("twinspace__project", "country")
    list_filter = ("country",)
    readonly_fields = ("twinspace", "country", "reason", "granted_at", "ended_at")

    def has_add_permission(self, request) -> bool:
        return False  # granted and ended by the labels app only


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    list_display = ("twinspace", "user", "old", "new", "actor", "at")
    list_select_related = ("twinspace__project", "user", "actor")
    readonly_fields = ("twinspace", "user", "old", "new", "actor", "at")

    def has_add_permission(self, request) -> bool:
        return False
