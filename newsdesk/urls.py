from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsdesk.core.brand import accent_stylesheet, web_app_manifest
from newsdesk.core.views import favicon, healthz, metrics_view, readyz, serve_media

handler500 = "newsdesk.core.views.server_error"

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # Answered before the middleware that needs the database or the cache (core/middleware.py).
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    re_path(r"^brand/(?P<colour>[0-9a-f]{6})\.css$", accent_stylesheet, name="brand_stylesheet"),
    path("manifest.webmanifest", web_app_manifest, name="web_app_manifest"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("newsletters/", include("newsdesk.newsletters.urls")),
    path("", include("newsdesk.members.urls")),
    path("", include("newsdesk.support.urls")),
    path("", include("newsdesk.feed.urls")),
    path("", include("newsdesk.articles.urls")),
    path("", include("newsdesk.syndication.urls")),
    path("", include("newsdesk.narration.urls")),
    path("", include("newsdesk.search.urls")),
    # Media from the local disk, in both profiles: so that `make run` works alone. Behind the
    # shipped nginx configuration nginx answers /media/ itself; with object storage
    # (NEWSDESK_S3_URL) media have the bucket's addresses and the view answers 404.
    re_path(r"^media/(?P<path>.*)$", serve_media, name="media"),
    path("", include(wagtail_urls)),
]
