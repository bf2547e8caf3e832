from django.urls import path

from withpeople.organisations import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("o/<slug:org_slug>/", views.dashboard, name="dashboard"),
    path("o/<slug:org_slug>/members/", views.member_list, name="members"),
    path("o/<slug:org_slug>/members/invite/", views.member_invite, name="member-invite"),
    path("o/<slug:org_slug>/members/<int:pk>/", views.member_change, name="member-change"),
    path("o/<slug:org_slug>/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "o/<slug:org_slug>/invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation-cancel",
    ),
]
