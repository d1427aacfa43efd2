from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        # The summary tables follow every visit, sale, sent invitation and response.
        from dashboards import checks  # noqa: F401  (registers them)
        from dashboards.listeners import register

        register()
