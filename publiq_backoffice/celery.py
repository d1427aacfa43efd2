import os
from pathlib import Path

from celery import Celery
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")

app = Celery("publiq_backoffice")
# Every CELERY_* setting in settings.py configures this app (see the delivery notes there).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_FILESYSTEM_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


@app.on_after_configure.connect
def make_broker_folders(sender, **kwargs) -> None:
    """kombu's file-system transport (the development broker) creates none of its folders: a
    command run outside `make run`, such as `import_events`, could queue nothing without them.
    """
    if not str(sender.conf.broker_url).startswith("filesystem"):
        return
    options = sender.conf.broker_transport_options
    for key in _FILESYSTEM_FOLDERS:
        folder = Path(options[key])
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ImproperlyConfigured(
                f"the Celery broker's folder {folder} cannot be created: {error.strerror}"
            ) from None
