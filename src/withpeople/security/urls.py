from django.urls import path

from withpeople.security import views

app_name = "security"

ORG = "o/<slug:org_slug>/"

urlpatterns = [
    path(ORG + "sign-in-security/", views.sign_in_security, name="sign-in-security"),
    path(
        ORG + "sign-in-security/members/<int:pk>/reset/",
        views.second_factor_reset,
        name="second-factor-reset",
    ),
]
