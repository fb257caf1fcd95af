from django.urls import path, re_path

from newsdesk.articles import views

urlpatterns = [
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.tag_page, name="tag"),
    path("authors/<slug:slug>/", views.author_page, name="author"),
]
