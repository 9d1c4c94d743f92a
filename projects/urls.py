from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/join/", views.request_join, name="join"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("invitations/<int:pk>/answer/", views.answer, name="answer"),
    path("invitations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("partners/", views.partner_search, name="search"),
    path("partners/<int:user_id>/", views.teacher_card, name="teacher"),
    path(
        "partners/<int:user_id>/invite/", views.invite_from_card, name="invite_teacher"
    ),
    path("ideas/", views.idea_list, name="ideas"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("ideas/<int:pk>/open/", views.idea_toggle, name="idea_toggle"),
    path("ideas/replies/<int:pk>/", views.idea_reply_decide, name="idea_reply"),
]
