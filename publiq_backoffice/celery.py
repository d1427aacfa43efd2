import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")

app = Celery("publiq_backoffice")
# Every CELERY_* setting in settings.py configures this app (see the delivery notes there).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
