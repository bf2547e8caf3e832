from django.urls import path

from withpeople.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-in/passkey/options/", views.sign_in_passkey_options, name="sign-in-passkey-options"),
    path("sign-in/passkey/", views.sign_in_passkey, name="sign-in-passkey"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("", views.account, name="account"),
    path("second-factor/set-up/", views.second_factor_set_up, name="second-factor-set-up"),
    path("second-factor/remove/", views.second_factor_remove, name="second-factor-remove"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path(
        "second-factor/recovery-codes/download/",
        views.recovery_codes_download,
        name="recovery-codes-download",
    ),
    path(
        "second-factor/recovery-codes/new/",
        views.recovery_codes_replace,
        name="recovery-codes-replace",
    ),
    path("passkeys/options/", views.passkey_options, name="passkey-options"),
    path("passkeys/new/", views.passkey_add, name="passkey-add"),
    path("passkeys/<int:pk>/remove/", views.passkey_remove, name="passkey-remove"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
