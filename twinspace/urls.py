"""Every TwinSpace URL lives under /twinspace/ (pupils are confined there, R13)."""

from django.urls import path

from twinspace import views

app_name = "twinspace"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.home, name="home"),
    path("<int:pk>/cover/", views.cover, name="cover"),
    path("<int:pk>/cover/edit/", views.cover_edit, name="cover_edit"),
    path("<int:pk>/members/", views.members, name="members"),
    path(
        "<int:pk>/members/add-teacher/",
        views.member_add_teacher,
        name="member_add_teacher",
    ),
    path(
        "<int:pk>/members/add-visitor/",
        views.member_add_visitor,
        name="member_add_visitor",
    ),
    path(
        "<int:pk>/members/<int:member_pk>/role/", views.member_role, name="member_role"
    ),
    path(
        "<int:pk>/members/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:pk>/pupils/new/", views.pupils_new, name="pupils_new"),
    path(
        "<int:pk>/pupils/<int:member_pk>/reset-password/",
        views.pupil_reset_password,
        name="pupil_reset_password",
    ),
    path("<int:pk>/pages/", views.pages, name="pages"),
    path("<int:pk>/pages/new/", views.page_new, name="page_new"),
    path("<int:pk>/pages/<int:page_pk>/", views.page_detail, name="page"),
    path("<int:pk>/pages/<int:page_pk>/edit/", views.page_edit, name="page_edit"),
    path(
        "<int:pk>/pages/<int:page_pk>/history/",
        views.page_history,
        name="page_history",
    ),
    path(
        "<int:pk>/pages/<int:page_pk>/history/<int:number>/",
        views.page_revision,
        name="page_revision",
    ),
    path(
        "<int:pk>/pages/<int:page_pk>/history/<int:number>/restore/",
        views.page_restore,
        name="page_restore",
    ),
    path("<int:pk>/materials/", views.materials, name="materials"),
    path(
        "<int:pk>/materials/<int:material_pk>/file/",
        views.material_file,
        name="material_file",
    ),
    path(
        "<int:pk>/materials/<int:material_pk>/thumbnail/",
        views.material_thumbnail,
        name="material_thumbnail",
    ),
    path("<int:pk>/forum/", views.forum, name="forum"),
    path("<int:pk>/forum/<int:thread_pk>/", views.thread, name="thread"),
    path("<int:pk>/forum/posts/<int:post_pk>/hide/", views.post_hide, name="post_hide"),
]
