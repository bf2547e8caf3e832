from django.urls import path

from withpeople.feedback import public_views, views

app_name = "feedback"

CYCLE = "o/<slug:org_slug>/making-it-real/cycles/<slug:cycle_slug>/"
FRAMEWORKS = "o/<slug:org_slug>/making-it-real/frameworks/"

urlpatterns = [
    path("o/<slug:org_slug>/making-it-real/", views.cycle_list, name="cycles"),
    path("o/<slug:org_slug>/making-it-real/cycles/new/", views.cycle_create, name="cycle-create"),
    path(CYCLE, views.cycle_detail, name="cycle"),
    path(CYCLE + "edit/", views.cycle_edit, name="cycle-edit"),
    path(CYCLE + "open/", views.cycle_open, name="cycle-open"),
    path(CYCLE + "close/", views.cycle_close, name="cycle-close"),
    path(CYCLE + "poster/", views.cycle_poster, name="cycle-poster"),
    path(CYCLE + "responses/new/", views.response_enter, name="response-enter"),
    path(CYCLE + "download/answers.<slug:fmt>", views.answers_download, name="answers-download"),
    path(CYCLE + "imports/new/", views.import_upload, name="import"),
    path(CYCLE + "imports/<int:pk>/", views.import_job, name="import-job"),
    path(FRAMEWORKS, views.framework_list, name="frameworks"),
    path(FRAMEWORKS + "new/", views.framework_upload, name="framework-upload"),
    path(FRAMEWORKS + "<int:pk>/", views.framework_detail, name="framework"),
    path(FRAMEWORKS + "<int:pk>/pictures/", views.picture_list, name="pictures"),
    path(FRAMEWORKS + "<int:pk>/pictures/upload/", views.picture_upload, name="picture-upload"),
    path(FRAMEWORKS + "<int:pk>/pictures/remove/", views.picture_remove, name="picture-remove"),
    # The public form: a short link with no account needed.
    path("f/<str:code>/", public_views.public_form, name="public-form"),
    path(
        "f/<str:code>/easy-read/", public_views.public_form_easy_read, name="public-form-easy-read"
    ),
    path("f/<str:code>/thanks/", public_views.public_thanks, name="public-thanks"),
    path("f/<str:code>/pictures/<int:pk>/", public_views.public_picture, name="public-picture"),
]
