import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
application = get_wsgi_application()
# What loading made lives as long as the process: keep it out of the garbage collector's full
# passes, which otherwise cost about 100 ms every few requests (bench/uitpas.py, profiles).
gc.freeze()
