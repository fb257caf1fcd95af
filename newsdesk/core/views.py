from django.conf import settings
from django.views.static import serve


def serve_media(request, path):
    """Uploaded media in the embedded profile; production serves them from storage or the proxy."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
