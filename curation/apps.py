from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        # The taxonomy comes with migration 0003; a flushed database (tests) gets it back here.
        post_migrate.connect(_taxonomy_after_migrate, sender=self)
        pre_migrate.connect(_deferred_indexes_before_migrate, sender=self)
        # The family-offer rule's task-page explanation registers itself on import.
        from curation import family_selectors  # noqa: F401


def _deferred_indexes_before_migrate(sender, using="default", **kwargs):
    """An import stopped before it built the events' indexes again (deferred_indexes): they
    are built before a migration may change them. While a first import runs without them,
    migrate refuses to run: the import will build them from the SQL they had."""
    from django.core.management import CommandError
    from django.db import connections

    from curation.models import DeferredIndex
    from curation.services.deferred_indexes import build_deferred_indexes
    from curation.services.event_import import ImportAlreadyRunning, import_lock

    database = connections[using]
    if using != "default" or database.vendor != "postgresql":
        return
    if "curation_deferredindex" not in database.introspection.table_names():
        return
    try:
        with import_lock(database):
            build_deferred_indexes()
    except ImportAlreadyRunning:
        if DeferredIndex.objects.using(using).exists():
            # Its migrations could change indexes the import will build from their old SQL.
            raise CommandError(
                "A first import of events is running with the events' indexes dropped; run "
                "migrate again when it has ended."
            ) from None


def _taxonomy_after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from curation.models import FamilyRule, Queue, Term
    from curation.services.taxonomy import taxonomy_apply, taxonomy_rows

    if using != "default":
        return
    # After migrating backwards some of these tables are gone: each is filled only if there.
    tables = set(connections[using].introspection.table_names())
    if Term._meta.db_table in tables and not Term.objects.exists():
        taxonomy_apply(Term, taxonomy_rows())
    if Queue._meta.db_table in tables:
        _default_queues_after_flush(using)
    if {FamilyRule._meta.db_table, Term._meta.db_table} <= tables:
        _default_family_rule_after_flush(using)


def _default_queues_after_flush(using):
    """Migration 0005 creates the default queues; a flushed test database gets them back."""
    from curation.default_queues import create_default_queues
    from curation.models import Queue

    if using == "default" and not Queue.objects.exists():
        create_default_queues(Queue)


def _default_family_rule_after_flush(using):
    """Migration 0007 creates the first family-offer rule; a flushed test database gets it
    back (after the taxonomy, whose ids it names)."""
    from curation.family_defaults import create_default_rule
    from curation.models import FamilyRule, Term

    if using == "default":
        create_default_rule(FamilyRule, Term)
