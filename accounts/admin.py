from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Country, School, SchoolMembership, TeacherProfile, User


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


admin.site.register(School)
admin.site.register(SchoolMembership)
admin.site.register(TeacherProfile)
