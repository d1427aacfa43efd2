from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.tables import has_table


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        from curation import listeners  # noqa: F401

        post_migrate.connect(_default_queues_after_flush, sender=self)


def _default_queues_after_flush(sender, using="default", **kwargs):
    """A migration creates the default queues; a flushed test database gets them back."""
    from curation.default_queues import create_default_queues
    from curation.models import Queue

    if has_table(Queue, using) and not Queue.objects.exists():
        create_default_queues(Queue)
