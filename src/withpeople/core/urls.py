from django.urls import path

from withpeople.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("ladder/", views.ladder, name="ladder"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("api/", views.api_docs, name="api-docs"),
    path("health/", views.health, name="health"),
]
