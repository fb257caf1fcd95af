from django.urls import path

from newsdesk.feed import views

urlpatterns = [
    path("news/", views.news_page, name="news"),
    path("news/updates/", views.updates, name="news_updates"),
]
