from django.urls import path

from labels.views import quality as quality_views

app_name = "labels"

# Quality Label routes first, then School Label routes, then public ones.
quality_urlpatterns: list = [
    path(
        "quality/project/<int:project_id>/apply/",
        quality_views.quality_apply,
        name="quality_apply",
    ),
    path("quality/<int:pk>/", quality_views.quality_edit, name="quality_edit"),
    path(
        "quality/<int:pk>/autosave/",
        quality_views.quality_autosave,
        name="quality_autosave",
    ),
    path(
        "quality/<int:pk>/evidence/",
        quality_views.quality_evidence_add,
        name="quality_evidence_add",
    ),
    path(
        "quality/<int:pk>/evidence/<int:file_id>/remove/",
        quality_views.quality_evidence_remove,
        name="quality_evidence_remove",
    ),
    path(
        "quality/<int:pk>/evidence/<int:file_id>/",
        quality_views.quality_evidence_download,
        name="quality_evidence",
    ),
    path(
        "quality/<int:pk>/certificate.pdf",
        quality_views.quality_certificate,
        name="quality_certificate",
    ),
    path(
        "quality/<int:pk>/pupils/",
        quality_views.quality_pupil_certificates,
        name="quality_pupils",
    ),
    path(
        "quality/<int:pk>/pupils/<int:cert_id>.pdf",
        quality_views.quality_pupil_certificate,
        name="quality_pupil_certificate",
    ),
]
school_urlpatterns: list = []
public_urlpatterns: list = []

urlpatterns = quality_urlpatterns + school_urlpatterns + public_urlpatterns
