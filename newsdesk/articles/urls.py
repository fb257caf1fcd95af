from django.urls import path

from newsdesk.articles import views

urlpatterns = [
    path("tags/<slug:slug>/", views.tag_page, name="tag"),
]
