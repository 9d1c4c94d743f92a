from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinspaceConfig(AppConfig):
    name = "twinspace"
    verbose_name = _("TwinSpace")

    def ready(self) -> None:
        from accounts import panels
        from twinspace import receivers  # noqa: F401 - connects the projects signals
        from twinspace.panels import dashboard_twinspaces_panel, project_twinspace_panel

        panels.register("project", project_twinspace_panel, order=20)
        panels.register("dashboard", dashboard_twinspaces_panel, order=20)
