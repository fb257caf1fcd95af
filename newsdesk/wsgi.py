import os

from django.core.wsgi import get_wsgi_application

from newsdesk.core.bodylimit import BodyLimit
from newsdesk.core.pagecache import KeptPages

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

# Bodies too large for where they are sent are refused before Django reads them; kept
# pages are answered before Django's middleware and views (core/pagecache.py).
application = BodyLimit(KeptPages(get_wsgi_application()))
