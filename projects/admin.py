from django.contrib import admin

from projects.models import Project, ProjectMember


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    raw_id_fields = ("teacher", "school")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "created_at")
    inlines = [ProjectMemberInline]
