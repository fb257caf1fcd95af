from urllib.parse import urljoin

from django.conf import settings


def absolute_url(path):
    """The public URL of a path on this site, as used in feeds, emails and metadata."""
    return urljoin(settings.NEWSDESK_SITE_URL + "/", path or "")
