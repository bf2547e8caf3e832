from django.urls import path

from withpeople.improvement import views

app_name = "improvement"

CYCLE = "o/<slug:org_slug>/cycles/<slug:cycle_slug>/"

urlpatterns = [
    path(f"{CYCLE}results/", views.results, name="results"),
    path(f"{CYCLE}results/report/", views.report, name="report"),
    path(f"{CYCLE}download/<slug:what>.<slug:fmt>", views.export, name="export"),
    path(f"{CYCLE}results/stories/<int:pk>/choose/", views.story_choose, name="story-choose"),
    path(f"{CYCLE}self-assessment/", views.self_assessment, name="self-assessment"),
    # A statement key may be an official framework's own, like WI.1 or MIR/1.2: any printable
    # characters but spaces (withpeople.domain.mir.framework), so it is matched as a path.
    path(f"{CYCLE}self-assessment/<path:statement_key>/", views.rate, name="rate"),
    path(f"{CYCLE}actions/", views.action_list, name="actions"),
    path(f"{CYCLE}actions/new/", views.action_create, name="action-create"),
    path(f"{CYCLE}actions/<int:pk>/", views.action_detail, name="action-detail"),
    path(f"{CYCLE}actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path(f"{CYCLE}actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
    path(f"{CYCLE}you-said-we-did/", views.you_said_we_did, name="you-said-we-did"),
    path(
        f"{CYCLE}you-said-we-did/easy-read/",
        views.you_said_we_did_easy_read,
        name="you-said-we-did-easy-read",
    ),
    path(
        f"{CYCLE}you-said-we-did/preview/",
        views.you_said_we_did_preview,
        name="you-said-we-did-preview",
    ),
    path(f"{CYCLE}you-said-we-did/publish/", views.publish, name="publish"),
    path(f"{CYCLE}you-said-we-did/unpublish/", views.unpublish, name="unpublish"),
]
