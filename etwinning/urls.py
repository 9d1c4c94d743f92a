from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from labels.views import home
from projects.views import dashboard
from twinspace.views import pupil_home

admin.site.site_header = _("eTwinning administration")
admin.site.site_title = _("eTwinning")
admin.site.index_title = _("NSO and central support")

urlpatterns = [
    path("", home, name="home"),
    path("dashboard/", dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("me/", include("accounts.urls")),
    path("projects/", include("projects.urls")),
    path("twinspace/", include("twinspace.urls")),
    path("pupil/", pupil_home, name="pupil_home"),
    path("labels/", include("labels.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
