from django.dispatch import receiver

from events.signals import events_imported
from family.services.classify import family_classify_events


@receiver(events_imported)
def classify_after_import(sender, created_ids, updated_ids, **kwargs) -> None:
    """An event is never stored without its label: classified in the batch's transaction."""
    family_classify_events(event_ids=[*created_ids, *updated_ids])
