from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("schools/add/", views.school_add, name="school_add"),
    path("links/<int:pk>/move/", views.school_move, name="school_move"),
    path("links/<int:pk>/main/", views.school_set_main, name="school_set_main"),
    path("head/", views.head_requests, name="head_requests"),
    path("data/", views.export_data, name="export_data"),
    path("delete/", views.delete_account, name="delete_account"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
]
