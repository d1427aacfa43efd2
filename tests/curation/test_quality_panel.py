"""No default answers: the quality checklist starts unanswered, and shows what to judge."""

import pytest

from curation.forms import QualityForm
from curation.models import QUALITY_ITEMS, QueueKind, TaskState
from curation.services.queues import task_claim_next
from tests.curation.factories import QueueFactory, TaskFactory
from tests.events.factories import EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
ALL_PASS = {f"check_{item}": "pass" for item, _label in QUALITY_ITEMS}


@pytest.fixture
def quality_task(alice):
    event = EventFactory(
        name_text="Expo Rubens",
        description_text="Schilderijen van Rubens.",
        min_age=6,
        max_age=None,
        location=PlaceFactory(name_text="Rubenshuis", city="Antwerpen"),
        document={
            "image": "https://images.example.be/rubens.jpg",
            "priceInfo": [
                {
                    "category": "base",
                    "name": {"nl": "Basistarief"},
                    "price": 12.5,
                    "priceCurrency": "EUR",
                },
                {
                    "category": "tariff",
                    "name": {"nl": "Kinderen"},
                    "price": 0,
                    "priceCurrency": "EUR",
                },
            ],
        },
    )
    TaskFactory(queue=QueueFactory(kind=QueueKind.QUALITY), event=event)
    return task_claim_next(queue=event.tasks.get().queue, curator=alice)


def test_the_checklist_is_not_valid_until_every_item_is_answered():
    assert QualityForm(data=ALL_PASS).is_valid()
    for item, _label in QUALITY_ITEMS:
        form = QualityForm(data={key: v for key, v in ALL_PASS.items() if key != f"check_{item}"})
        assert not form.is_valid() and f"check_{item}" in form.errors


def test_the_task_page_answers_nothing_for_the_curator(client, alice, quality_task):
    client.force_login(alice)
    page = client.get(f"/curation/tasks/{quality_task.pk}/").content.decode()
    form = page.split('id="decision-form"', 1)[1].split("</form>", 1)[0]
    assert "checked" not in form


def test_saving_an_unanswered_checklist_decides_nothing(client, alice, quality_task):
    client.force_login(alice)
    response = client.post(f"/curation/tasks/{quality_task.pk}/decide/", {"note": ""})
    assert response.status_code == 400
    quality_task.refresh_from_db()
    assert quality_task.state == TaskState.CLAIMED


def test_the_panel_shows_each_item_with_the_value_to_judge(client, alice, quality_task):
    client.force_login(alice)
    page = client.get(f"/curation/tasks/{quality_task.pk}/", **ENGLISH).content.decode()

    def judged(item):
        return page.split(f'id="judge-{item}">', 1)[1].split("</dd>", 1)[0]

    assert "https://images.example.be/rubens.jpg" in judged("image")
    assert "Basistarief: 12.50 EUR" in judged("price") and "Kinderen: 0.00 EUR" in judged("price")
    assert "Schilderijen van Rubens." in judged("description")
    assert "6-" in judged("age")
    assert "Rubenshuis, Antwerpen" in judged("location")
    assert judged("dates").strip()


def test_an_event_without_image_or_price_says_none(client, alice, quality_task):
    quality_task.event.document = {"image": "javascript:alert(1)"}
    quality_task.event.save()
    client.force_login(alice)
    page = client.get(f"/curation/tasks/{quality_task.pk}/", **ENGLISH).content.decode()
    assert "javascript:" not in page
    assert page.split('id="judge-image">', 1)[1].split("</dd>", 1)[0].count("none") == 1
    assert page.split('id="judge-price">', 1)[1].split("</dd>", 1)[0].count("none") == 1
