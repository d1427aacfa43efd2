from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UitpasConfig(AppConfig):
    name = "uitpas"
    verbose_name = _("UiTPAS")
