from django.urls import path

from withpeople.values import views

app_name = "values"

urlpatterns = [
    path("o/<slug:org_slug>/groups/relationships/", views.relationships, name="relationships"),
    path(
        "o/<slug:org_slug>/groups/<int:pk>/relationships/",
        views.group_relationships,
        name="group-relationships",
    ),
    path("o/<slug:org_slug>/values/", views.values_dashboard, name="values"),
    path("o/<slug:org_slug>/values/works/<int:work_id>/", views.work_values, name="work-values"),
]
