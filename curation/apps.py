from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        # The taxonomy comes with migration 0003; a flushed database (tests) gets it back here.
        post_migrate.connect(_taxonomy_after_migrate, sender=self)


def _taxonomy_after_migrate(sender, using="default", **kwargs):
    from curation.models import Term
    from curation.services.taxonomy import taxonomy_apply, taxonomy_rows

    if using == "default" and not Term.objects.exists():
        taxonomy_apply(Term, taxonomy_rows())
    _default_queues_after_flush(using)


def _default_queues_after_flush(using):
    """Migration 0005 creates the default queues; a flushed test database gets them back."""
    from curation.default_queues import create_default_queues
    from curation.models import Queue

    if using == "default" and not Queue.objects.exists():
        create_default_queues(Queue)
