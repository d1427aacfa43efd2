from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core.tables import has_table


class FamilyConfig(AppConfig):
    name = "family"
    verbose_name = _("Family offer")

    def ready(self):
        # The family queue's feeder and the task page's explanation register with curation,
        # the family offer with the events API's detail.
        from events.api import DETAIL_READERS
        from family import listeners, queue, selectors  # noqa: F401

        DETAIL_READERS["family"] = selectors.family_as_json

        post_migrate.connect(_default_rule_after_flush, sender=self)


def _default_rule_after_flush(sender, using="default", **kwargs):
    """A migration creates the first rule version; a flushed test database gets it back."""
    from events.models import Term
    from family.defaults import create_default_rule
    from family.models import FamilyRule

    if has_table(FamilyRule, using) and has_table(Term, using):
        create_default_rule(FamilyRule, Term)
