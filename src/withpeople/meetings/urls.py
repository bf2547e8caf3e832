from django.urls import path

from withpeople.meetings import views

app_name = "meetings"

M = "o/<slug:org_slug>/meetings/<int:meeting_pk>/"
G = "o/<slug:org_slug>/groups/<int:pk>/meetings/"

urlpatterns = [
    path(G, views.group_meetings, name="group"),
    path(G + "new/", views.meeting_create, name="create"),
    path("o/<slug:org_slug>/meetings/", views.mine, name="mine"),
    path("o/<slug:org_slug>/meetings/calendar/new-address/", views.feed_reset, name="feed-reset"),
    path("o/<slug:org_slug>/meetings/reminders/", views.reminder_settings, name="reminders"),
    path(M, views.meeting_detail, name="detail"),
    path(M + "change/", views.meeting_change, name="change"),
    path(M + "cancel/", views.meeting_cancel, name="cancel"),
    path(M + "reply/", views.reply, name="reply"),
    path(M + "attendance/", views.attendance, name="attendance"),
    # No sign-in: each is opened by its secret alone.
    path("meetings/reply/<str:token>/", views.reply_link, name="reply-link"),
    path("meetings/calendar/<str:token>.ics", views.feed, name="feed"),
]
