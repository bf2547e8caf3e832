"""The WSGI application, for gunicorn: `gunicorn withpeople.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withpeople.settings")
application = get_wsgi_application()
