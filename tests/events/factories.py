"""Factories of the event catalogue: JSON-LD documents as UiTdatabank sends them, and rows."""

import uuid

import factory
from django.utils import timezone

from events.models import Event, Organizer, Place

IO = "https://io.uitdatabank.be"


def new_id() -> str:
    return str(uuid.uuid4())


class PlaceDocumentFactory(factory.DictFactory):
    """A place as embedded in an event's `location`."""

    class Params:
        place_id = factory.LazyFunction(new_id)
        city = "Gent"

    _id = factory.LazyAttribute(lambda o: f"{IO}/places/{o.place_id}")
    mainLanguage = "nl"
    name = factory.Sequence(lambda n: {"nl": f"Zaal {n}"})
    address = factory.LazyAttribute(
        lambda o: {
            "nl": {
                "addressCountry": "BE",
                "addressLocality": o.city,
                "postalCode": "9000",
                "streetAddress": "Kouter 1",
            }
        }
    )

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs["@id"] = kwargs.pop("_id")
        return super()._build(model_class, *args, **kwargs)

    _create = _build


class OrganizerDocumentFactory(factory.DictFactory):
    class Params:
        organizer_id = factory.LazyFunction(new_id)

    _id = factory.LazyAttribute(lambda o: f"{IO}/organizers/{o.organizer_id}")
    name = factory.Sequence(lambda n: {"nl": f"Vereniging {n}"})

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs["@id"] = kwargs.pop("_id")
        return super()._build(model_class, *args, **kwargs)

    _create = _build


class EventDocumentFactory(factory.DictFactory):
    """A current-shape Entry API read document; override any key, or remove it with None."""

    class Params:
        event_id = factory.LazyFunction(new_id)

    _id = factory.LazyAttribute(lambda o: f"{IO}/events/{o.event_id}")
    mainLanguage = "nl"
    name = factory.Sequence(lambda n: {"nl": f"Concert {n}", "fr": f"Concert {n} (fr)"})
    description = {"nl": "Een concert voor het hele gezin."}
    calendarType = "single"
    startDate = "2026-06-15T20:00:00+02:00"
    endDate = "2026-06-15T22:00:00+02:00"
    attendanceMode = "offline"
    location = factory.SubFactory(PlaceDocumentFactory)
    organizer = factory.SubFactory(OrganizerDocumentFactory)
    terms = factory.LazyFunction(
        lambda: [
            {"id": "0.50.4.0.0", "label": "Concert", "domain": "eventtype"},
            {"id": "1.8.2.0.0", "label": "Jazz en blues", "domain": "theme"},
        ]
    )
    typicalAgeRange = "-"
    workflowStatus = "APPROVED"
    status = factory.LazyFunction(lambda: {"type": "Available"})
    audience = factory.LazyFunction(lambda: {"audienceType": "everyone"})
    labels = factory.LazyFunction(list)
    created = "2026-01-10T10:00:00+00:00"
    modified = "2026-01-12T10:00:00+00:00"

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs["@id"] = kwargs.pop("_id")
        return {key: value for key, value in kwargs.items() if value is not None}

    _create = _build


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("id",)

    id = factory.LazyFunction(new_id)
    name = factory.LazyAttribute(lambda o: {"nl": o.name_text})
    name_text = factory.Sequence(lambda n: f"Zaal {n}")
    street = "Kouter 1"
    postal_code = "9000"
    city = "Gent"
    country = "BE"


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer

    id = factory.LazyFunction(new_id)
    name = factory.LazyAttribute(lambda o: {"nl": o.name_text})
    name_text = factory.Sequence(lambda n: f"Vereniging {n}")


class EventFactory(factory.django.DjangoModelFactory):
    """An event row as the import writes it (with its terms), without going through a file."""

    class Meta:
        model = Event

    udb_id = factory.LazyFunction(new_id)
    name = factory.LazyAttribute(lambda o: {"nl": o.name_text})
    name_text = factory.Sequence(lambda n: f"Evenement {n}")
    description = factory.LazyFunction(dict)
    main_language = "nl"
    event_type_id = "0.50.4.0.0"
    location = factory.SubFactory(PlaceFactory)
    organizer = factory.SubFactory(OrganizerFactory)
    calendar_type = Event.CalendarType.SINGLE
    start = factory.LazyFunction(timezone.now)
    workflow_status = Event.WorkflowStatus.APPROVED
    document = factory.LazyAttribute(lambda o: {"@id": f"{IO}/events/{o.udb_id}"})
    content_hash = factory.LazyFunction(lambda: uuid.uuid4().hex)
    imported_at = factory.LazyFunction(timezone.now)
    modified = factory.LazyFunction(timezone.now)

    term_ids = factory.LazyAttribute(
        lambda o: [o.event_type_id, *o.themes] if o.event_type_id else list(o.themes)
    )

    class Params:
        themes = ()
