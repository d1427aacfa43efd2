"""Settings for `makemessages` run inside an app: without the project-wide LOCALE_PATHS,
makemessages writes each app's strings into that app's own locale/ directory."""

from publiq_backoffice.settings import *  # noqa: F403

LOCALE_PATHS = []
