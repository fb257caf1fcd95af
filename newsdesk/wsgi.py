import os

from django.core.wsgi import get_wsgi_application

from newsdesk.core.bodylimit import BodyLimit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

# Bodies too large for where they are sent are refused before Django reads them.
application = BodyLimit(get_wsgi_application())
