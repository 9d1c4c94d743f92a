from django.urls import path

from labels.views import public as public_views
from labels.views import quality as quality_views
from labels.views import school as school_views

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
school_urlpatterns: list = [
    path("school/", school_views.school_label, name="school_label"),
    path(
        "school/<int:campaign_id>/start/<int:school_id>/",
        school_views.school_label_start,
        name="school_label_start",
    ),
    path(
        "school/applications/<int:pk>/",
        school_views.school_application,
        name="school_application",
    ),
    path(
        "school/applications/<int:pk>/sections/<slug:key>/",
        school_views.school_section,
        name="school_section",
    ),
    path(
        "school/applications/<int:pk>/sign/",
        school_views.school_sign,
        name="school_sign",
    ),
    path(
        "school/applications/<int:pk>/submit/",
        school_views.school_submit,
        name="school_submit",
    ),
    path(
        "school/certificates/<str:code>.<str:fmt>",
        school_views.school_certificate,
        name="school_certificate",
    ),
]
public_urlpatterns: list = [
    path("verify/", public_views.verify_certificate, name="verify"),
    path(
        "statistics/",
        public_views.school_label_statistics,
        name="school_label_statistics",
    ),
]

urlpatterns = quality_urlpatterns + school_urlpatterns + public_urlpatterns
