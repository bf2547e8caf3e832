from django.urls import path

from withpeople.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/notifications/", views.notification_list, name="list"),
    path("account/notifications/read/", views.notifications_read, name="read-all"),
    path("account/notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("account/notifications/choices/", views.preferences, name="preferences"),
    path("n/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("o/<slug:org_slug>/emails-not-sent/", views.failed_emails, name="failed"),
    path(
        "o/<slug:org_slug>/emails-not-sent/<int:pk>/try-again/",
        views.failed_email_retry,
        name="retry",
    ),
]
