from django.urls import path  # noqa: F401

app_name = "labels"

# Quality Label routes first, then School Label routes, then public ones.
quality_urlpatterns: list = []
school_urlpatterns: list = []
public_urlpatterns: list = []

urlpatterns = quality_urlpatterns + school_urlpatterns + public_urlpatterns
