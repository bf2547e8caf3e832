from django.urls import path

from withpeople.recognition import views

app_name = "recognition"

P = "o/<slug:org_slug>/time-and-payments/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "yours/", views.mine, name="mine"),
    path(P + "policy/", views.policy, name="policy"),
    path(P + "policy/change/", views.policy_edit, name="policy-edit"),
    path(P + "policy/categories/new/", views.category_edit, name="category-add"),
    path(P + "policy/categories/<int:pk>/", views.category_edit, name="category-edit"),
    path(P + "people/<int:pk>/", views.person, name="person"),
    path(P + "people/<int:pk>/preference/", views.preference, name="preference"),
    path(P + "people/<int:pk>/payments/new/", views.payment_add, name="payment-add"),
    path(P + "time/new/", views.time_add, name="time-add"),
    path(P + "time/<int:pk>/thanks/", views.time_thanks, name="time-thanks"),
    path(P + "time/<int:pk>/confirm/", views.time_confirm, name="time-confirm"),
    path(P + "payments/<int:pk>/approve/", views.payment_approve, name="payment-approve"),
    path(P + "payments/<int:pk>/paid/", views.payment_paid, name="payment-paid"),
    path(P + "claims/new/", views.claim_add, name="claim-add"),
    path(P + "claims/<int:pk>/", views.claim_detail, name="claim"),
    path(P + "claims/<int:pk>/receipt/", views.receipt, name="receipt"),
    path(P + "claims/<int:pk>/approve/", views.claim_approve, name="claim-approve"),
    path(P + "claims/<int:pk>/reject/", views.claim_reject, name="claim-reject"),
    path(P + "claims/<int:pk>/paid/", views.claim_paid, name="claim-paid"),
    path(P + "finance-export/", views.export, name="export"),
]
