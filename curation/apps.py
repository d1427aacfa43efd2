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
