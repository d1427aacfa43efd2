import pytest

from surveys.models import Answer, Response
from tests.surveys.factories import invitation_with_link, survey_with_every_kind

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_holder_answers_every_kind_of_question_on_a_phone(page):
    survey = survey_with_every_kind()
    invitation, token = invitation_with_link(campaign__survey=survey)
    questions = {q.kind: q for q in survey.questions.all()}
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/s/{token}/")
    assert page.locator("h1").inner_text() == survey.title_nl
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    assert page.locator(".survey-error-summary").is_visible()
    assert Response.objects.count() == 0

    nps = page.get_by_role("group", name=questions["nps"].text_nl)
    nps.get_by_label("9", exact=True).check()
    # Keyboard: arrows move within a radio group, as everywhere.
    rating = page.get_by_role("group", name=questions["rating"].text_nl)
    rating.get_by_label("3", exact=True).focus()
    page.keyboard.press("ArrowRight")
    page.get_by_role("group", name=questions["single"].text_nl).get_by_label("Met vrienden").check()
    multiple = page.get_by_role("group", name=questions["multiple"].text_nl)
    multiple.get_by_label("Alleen").check()
    multiple.get_by_label("Met familie").check()
    page.get_by_label(questions["text"].text_nl).fill("Heel fijn bezoek")
    box = nps.get_by_label("9", exact=True).locator("xpath=..").bounding_box()
    assert box["height"] >= 44  # a large enough target for a thumb
    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    page.wait_for_selector("text=Bedankt!")

    response = Response.objects.get()
    assert response.invitation == invitation
    numbers = dict(
        Answer.objects.filter(number__isnull=False).values_list("question__kind", "number")
    )
    assert numbers == {"nps": 9, "rating": 4}
    assert Answer.objects.get(question=questions["multiple"]).choice_keys == ["alone", "family"]
    assert Answer.objects.get(question=questions["text"]).text == "Heel fijn bezoek"
