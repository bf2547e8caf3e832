from django.urls import path

from withpeople.groups import views

app_name = "groups"

G = "o/<slug:org_slug>/groups/<int:pk>/"

urlpatterns = [
    path("o/<slug:org_slug>/groups/", views.group_list, name="list"),
    path("o/<slug:org_slug>/groups/new/", views.group_create, name="create"),
    path(G, views.group_detail, name="detail"),
    path(G + "change/", views.group_change, name="change"),
    path(G + "members/add/", views.member_add, name="member-add"),
    path(G + "members/<int:member_pk>/", views.member_change, name="member-change"),
    path(G + "members/<int:member_pk>/end/", views.member_end, name="member-end"),
    path(
        G + "members/<int:member_pk>/access-needs/",
        views.member_access_needs,
        name="member-access-needs",
    ),
    path(G + "working-agreement/", views.agreement, name="agreement"),
    path(G + "working-agreement/change/", views.agreement_edit, name="agreement-edit"),
    path(G + "working-agreement/publish/", views.agreement_publish, name="agreement-publish"),
    path(
        G + "working-agreement/versions/<int:number>/",
        views.agreement_version,
        name="agreement-version",
    ),
    path(
        G + "working-agreement/versions/<int:number>/changes/",
        views.agreement_changes_view,
        name="agreement-changes",
    ),
    path(
        G + "working-agreement/versions/<int:number>/agree/",
        views.agreement_agree,
        name="agreement-agree",
    ),
    path(
        G + "working-agreement/versions/<int:number>/agree-for/<int:member_pk>/",
        views.agreement_agree_for,
        name="agreement-agree-for",
    ),
    # The public page, beside the openness statement: 404 unless the agreement is published.
    path(G + "agreement/", views.agreement_public, name="agreement-public"),
    path("o/<slug:org_slug>/access-needs/", views.my_access_needs, name="my-access-needs"),
]
