from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MuseumpasConfig(AppConfig):
    name = "museumpas"
    verbose_name = _("Museum pass")
