from django.urls import include, path

from withpeople.api.api import api

urlpatterns = [
    path("", include("withpeople.core.urls")),
    path("account/", include("withpeople.accounts.urls")),
    path("", include("withpeople.organisations.urls")),
    path("", include("withpeople.groups.urls")),
    path("", include("withpeople.values.urls")),
    path("", include("withpeople.works.urls")),
    path("", include("withpeople.feedback.urls")),
    path("", include("withpeople.improvement.urls")),
    path("", include("withpeople.recognition.urls")),
    path("", include("withpeople.meetings.urls")),
    path("", include("withpeople.diversity.urls")),
    path("", include("withpeople.privacy.urls")),
    path("", include("withpeople.security.urls")),
    path("", include("withpeople.packs.urls")),
    path("", include("withpeople.notifications.urls")),
    path("api/v1/", api.urls),
]

handler400 = "withpeople.core.views.bad_request"
handler403 = "withpeople.core.views.permission_denied"
handler404 = "withpeople.core.views.page_not_found"
handler500 = "withpeople.core.views.server_error"
