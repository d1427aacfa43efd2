import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from museumpas.models import Holder, Museum, Pass, Visit


class MuseumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Museum

    external_id = factory.Sequence(lambda n: f"museum-{n}")
    name = factory.Sequence(lambda n: f"Museum {n}")
    city = "Gent"
    postcode = "9000"
    region = "flanders"
    size_class = "medium"


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holder

    external_id = factory.Sequence(lambda n: f"holder-{n}")
    language = "nl"
    postcode = "9000"
    region = "flanders"
    birth_year = 1980
    email = factory.Sequence(lambda n: f"holder{n}@example.org")


class PassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pass

    external_id = factory.Sequence(lambda n: f"pass-{n}")
    holder = factory.SubFactory(HolderFactory)
    card_number = factory.Sequence(lambda n: f"{n:012d}")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=265))
    channel = "online"
    is_renewal = False
    price = Decimal("65.00")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    external_id = factory.Sequence(lambda n: f"visit-{n}")
    holder = factory.SubFactory(HolderFactory)
    museum = factory.SubFactory(MuseumFactory)
    visited_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
