from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.detail, name="detail"),
]
