import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the URL map, templates) lives as long as the
# worker: keep it out of the garbage collector's passes, which otherwise walk all of it
# again during requests (measured with bench/load.py: CPU per request).
gc.freeze()
