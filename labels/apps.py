from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "labels"
    verbose_name = _("Quality and School Labels")

    def ready(self) -> None:
        from accounts import panels
        from labels.views.quality import dashboard_panel as quality_dashboard_panel
        from labels.views.quality import profile_panel as quality_profile_panel
        from labels.views.quality import project_panel as quality_project_panel
        from labels.views.school import (
            school_label_dashboard_panel,
            school_label_panel,
        )

        # School Label: the label on the school page, the invitation on the dashboard (R29, R35).
        panels.register("school", school_label_panel, order=50)
        panels.register("dashboard", school_label_dashboard_panel, order=50)
        # Quality Label: apply and labels on the project page, statuses on the
        # dashboard, labels held on the teacher's profile (R18, R26).
        panels.register("project", quality_project_panel, order=40)
        panels.register("dashboard", quality_dashboard_panel, order=40)
        panels.register("profile", quality_profile_panel, order=40)
