from django.urls import path

from newsdesk.newsletters.sending import archive, bounces
from newsdesk.newsletters.subscribers import views

app_name = "newsletters"

urlpatterns = [
    path("", views.index, name="index"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("esp/mailgun/tracking/", bounces.mailgun_tracking, name="mailgun_tracking"),
    path("<slug:slug>/archive/", archive.archive, name="archive"),
    path("<slug:slug>/archive/<id:pk>/", archive.archive_issue, name="archive_issue"),
]
