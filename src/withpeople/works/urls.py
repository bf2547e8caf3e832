from django.urls import path

from withpeople.works import views

app_name = "works"

_W = "o/<slug:org_slug>/works/<int:pk>/"

urlpatterns = [
    path("o/<slug:org_slug>/works/", views.work_list, name="list"),
    path("o/<slug:org_slug>/works/new/", views.work_create, name="create"),
    path("o/<slug:org_slug>/works/import/", views.work_import, name="import"),
    path(_W, views.work_detail, name="detail"),
    path(_W + "edit/", views.work_edit, name="edit"),
    path(_W + "record.json", views.work_export, name="export"),
    path(_W + "publish/", views.work_publish, name="publish"),
    path(_W + "unpublish/", views.work_unpublish, name="unpublish"),
    path(_W + "openness/", views.openness, name="openness"),
    path(_W + "aspects/", views.aspect_list, name="aspects"),
    path(_W + "aspects/new/", views.aspect_add, name="aspect-add"),
    path(_W + "aspects/<int:aspect_pk>/", views.aspect_edit, name="aspect-edit"),
    path(_W + "aspects/<int:aspect_pk>/remove/", views.aspect_remove, name="aspect-remove"),
    path(_W + "aspects/<int:aspect_pk>/move/", views.aspect_move, name="aspect-move"),
    path(_W + "people/", views.people, name="people"),
    path(_W + "people/new/", views.person_add, name="person-add"),
    path(_W + "evidence/", views.evidence, name="evidence"),
    path(_W + "activities/new/", views.activity_form, name="activity-add"),
    path(_W + "activities/<int:activity_pk>/", views.activity_form, name="activity-edit"),
    path(
        _W + "activities/<int:activity_pk>/withdraw/",
        views.activity_withdraw,
        name="activity-withdraw",
    ),
    path(_W + "decisions/new/", views.decision_form, name="decision-add"),
    path(_W + "decisions/<int:decision_pk>/", views.decision_form, name="decision-edit"),
    path(
        _W + "decisions/<int:decision_pk>/withdraw/",
        views.decision_withdraw,
        name="decision-withdraw",
    ),
    path(_W + "history/", views.history, name="history"),
    path(
        _W + "decisions/<int:decision_pk>/tell-the-group/",
        views.decision_tell,
        name="decision-tell",
    ),
    path(_W + "check-in/", views.checkin, name="checkin"),
    path(_W + "check-in/rounds/", views.rounds, name="rounds"),
    path(_W + "check-in/rounds/new/", views.round_open, name="round-open"),
    path(_W + "check-in/rounds/<int:round_pk>/close/", views.round_close, name="round-close"),
    path(
        "o/<slug:org_slug>/activities/<int:activity_id>/access-needs/",
        views.activity_access_needs,
        name="activity-access-needs",
    ),
]
