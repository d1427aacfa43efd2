from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.tables import has_table


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # The taxonomy comes with a migration; a flushed database (tests) gets it back here.
        post_migrate.connect(_taxonomy_after_migrate, sender=self)


def _taxonomy_after_migrate(sender, using="default", **kwargs):
    from events.models import Term
    from events.services.taxonomy import taxonomy_apply, taxonomy_rows

    if has_table(Term, using) and not Term.objects.exists():
        taxonomy_apply(Term, taxonomy_rows())
