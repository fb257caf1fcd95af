from django.urls import path

from newsdesk.support import views

urlpatterns = [
    path("support/", views.support, name="support"),
    path("support/thanks/", views.thanks, name="support_thanks"),
    path("support/campaign/meter/", views.meter, name="support_meter"),
    path("membership/gift/", views.gift, name="gift"),
    path("membership/gift/thanks/", views.gift_thanks, name="gift_thanks"),
    path("membership/gift/claim/<str:token>/", views.claim, name="gift_claim"),
]
