from django.dispatch import receiver

from events.signals import events_imported
from family.services.classify import family_classify_events, family_classify_rows


@receiver(events_imported)
def classify_after_import(sender, created_ids, updated_ids, rows=None, **kwargs) -> None:
    """An event is never stored without its label: classified in the batch's transaction, from
    the values the import sends when it does (no read back)."""
    if rows is not None:
        family_classify_rows(rows=rows)
    else:
        family_classify_events(event_ids=[*created_ids, *updated_ids])
