from django.urls import path

from newsdesk.members import payments, views

urlpatterns = [
    path("membership/", views.membership, name="membership"),
    path("membership/checkout/", views.membership_checkout, name="membership_checkout"),
    path("membership/welcome/", views.membership_welcome, name="membership_welcome"),
    path("account/", views.account, name="account"),
    path("account/sign-in/", views.sign_in, name="account_sign_in"),
    path("account/sign-in/<str:token>/", views.sign_in_link, name="account_sign_in_link"),
    path("account/sign-out/", views.sign_out, name="account_sign_out"),
    path("account/payments/", views.billing_portal, name="account_billing_portal"),
    path("account/delete/", views.delete_account, name="account_delete"),
    path("members/stripe/webhook/", payments.webhook, name="stripe_webhook"),
]
