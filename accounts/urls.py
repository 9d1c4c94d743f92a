from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("head/", views.head_requests, name="head_requests"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
]
