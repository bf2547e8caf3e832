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
    path(ORG + "sign-in-security/single-sign-on/", views.single_sign_on, name="single-sign-on"),
    path("account/sign-in/organisation/", views.sso_sign_in, name="sso-sign-in"),
    path("account/sign-in/organisation/callback/", views.sso_callback, name="sso-callback"),
]
