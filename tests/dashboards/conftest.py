import pytest

from tests.dashboards.factories import MONTH, SurveyData, member, passes, rebuilt, visits
from tests.museumpas.factories import MuseumFactory

# Museum B's figures: numbers that appear nowhere else, so a leak of any of them shows.
B_VISITS, B_DELIVERED, B_RESPONSES, B_PASSES = 2917, 619, 173, 283
B_NUMBERS = ("2917", "619", "283", "173", "27.9", "27,9", "Secret B")


@pytest.fixture
def survey_data(db):
    return SurveyData()


@pytest.fixture
def museum_a(db):
    return MuseumFactory(name="Museum A", size_class="medium")


@pytest.fixture
def museum_b(db):
    return MuseumFactory(name="Museum B", size_class="medium")


@pytest.fixture
def charlie_a(charlie, museum_a):
    member(charlie, museum_a)
    return charlie


@pytest.fixture
def dora_b(dora, museum_b):
    member(dora, museum_b)
    return dora


@pytest.fixture
def two_museums(survey_data, museum_a, museum_b):
    """Museum A with modest figures, museum B with its distinctive ones, summaries built."""
    visits(museum_a, 40)
    survey_data.invitations(museum_a, 30, responded=12)
    survey_data.responses(museum_a, 12, nps=[10, 9, 9, 8, 7, 6, 10, 9, 3, 9, 10, 8], text="Mooi")
    passes(museum_a, 3)

    visits(museum_b, B_VISITS - B_DELIVERED)
    survey_data.invitations(museum_b, B_DELIVERED, responded=B_RESPONSES)
    survey_data.responses(museum_b, B_RESPONSES, nps=6, rating=2, text="Secret B")
    passes(museum_b, B_PASSES, channel="online")
    rebuilt()
    return museum_a, museum_b


@pytest.fixture
def march():
    return MONTH
