from django.urls import path

from newsdesk.narration import views

urlpatterns = [
    path("feeds/podcast/", views.podcast_feed, name="podcast_feed"),
    path("feeds/podcast/section/<slug:slug>/", views.podcast_feed, name="section_podcast_feed"),
    path("feeds/podcast/artwork.png", views.podcast_artwork, name="podcast_artwork"),
    path("narration/<id:page_id>/captions.vtt", views.captions, name="narration_captions"),
    path("narration/<id:page_id>/<slug:version>.mp3", views.audio_file, name="narration_audio"),
]
