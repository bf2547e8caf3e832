from django.urls import path

from withpeople.privacy import views

app_name = "privacy"

ORG = "o/<slug:org_slug>/"

urlpatterns = [
    path(ORG + "your-data/", views.your_data, name="your-data"),
    path(ORG + "your-data/everything/", views.my_data, name="my-data"),
    path(ORG + "your-data/download/", views.my_data_download, name="my-data-download"),
    path(ORG + "people-data/", views.people, name="people"),
    path(ORG + "people-data/<int:pk>/", views.person_data, name="person-data"),
    path(
        ORG + "people-data/<int:pk>/download/",
        views.person_data_download,
        name="person-data-download",
    ),
    path(ORG + "people-data/<int:pk>/erase/", views.person_erase, name="person-erase"),
    path(
        ORG + "people-data/without-account/<int:pk>/",
        views.group_member_data,
        name="group-member-data",
    ),
    path(
        ORG + "people-data/without-account/<int:pk>/download/",
        views.group_member_data_download,
        name="group-member-data-download",
    ),
    path(
        ORG + "people-data/without-account/<int:pk>/erase/",
        views.group_member_erase,
        name="group-member-erase",
    ),
    path(ORG + "audit/", views.audit_log, name="audit-log"),
    path(ORG + "retention/", views.retention, name="retention"),
]
