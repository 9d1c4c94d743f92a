from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# R9a: NSO evaluators see their countries' projects and decide on their approvals.
EVALUATOR_PERMISSIONS = [
    "view_project",
    "view_projectapproval",
    "change_projectapproval",
    "view_projectmember",
    "view_projectstatuschange",
]


def _grant_evaluator_permissions(sender, **kwargs) -> None:
    from django.contrib.auth.models import Permission

    from accounts.services import ensure_evaluator_group

    group = ensure_evaluator_group()
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="projects", codename__in=EVALUATOR_PERMISSIONS
        )
    )


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from accounts import panels
        from projects import receivers  # noqa: F401 - connects the search sync
        from projects.panels import school_projects_panel

        panels.register("school", school_projects_panel)
        post_migrate.connect(
            _grant_evaluator_permissions,
            sender=self,
            dispatch_uid="projects.grant_evaluator_permissions",
        )
