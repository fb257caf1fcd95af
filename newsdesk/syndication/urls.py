from django.urls import path, re_path

from newsdesk.syndication import views

urlpatterns = [
    re_path(r"^feeds/(?P<feed_format>rss|atom)/$", views.article_feed, name="articles_feed"),
    re_path(
        r"^feeds/(?P<kind>section|tag|author)/(?P<slug>[-\w]+)/(?P<feed_format>rss|atom)/$",
        views.article_feed,
        name="listing_feed",
    ),
    re_path(r"^feeds/news/(?P<feed_format>rss|atom)/$", views.news_feed, name="news_feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    re_path(
        r"^sitemap-(?P<section>pages|news)\.xml$", views.sitemap_section, name="sitemap_section"
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
