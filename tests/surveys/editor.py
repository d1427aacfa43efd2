"""POST data for the survey editor's forms, built the way the page's fields are named."""

SURVEY_FIELDS = {
    "name": "Bezoekersbevraging 2026",
    "title_nl": "Hoe was je bezoek?",
    "title_fr": "Comment était votre visite ?",
    "title_en": "How was your visit?",
}


def choice_rows(prefix: str, choices: list[dict], extra: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(choices) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
    }
    for index, choice in enumerate(choices):
        for name, value in choice.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def survey_data(questions: list[dict], *, initial: int = 0, **fields) -> dict:
    """`questions`: dicts of the question's fields, plus `choices` (a list of rows)."""
    data = {
        **SURVEY_FIELDS,
        **fields,
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(initial),
    }
    for index, question in enumerate(questions):
        prefix = f"questions-{index}"
        for name, value in question.items():
            if name == "choices":
                continue
            if value is True:
                value = "on"
            if value is not False:
                data[f"{prefix}-{name}"] = value
        data.update(choice_rows(f"{prefix}-choices", question.get("choices", [])))
    return data


def questions_as_posted(survey) -> list[dict]:
    """The survey's questions as the editor page would post them back unchanged."""
    return [
        {
            "id": str(question.pk),
            "survey": str(survey.pk),
            "ORDER": str(index),
            "kind": question.kind,
            "required": question.required,
            "text_nl": question.text_nl,
            "text_fr": question.text_fr,
            "text_en": question.text_en,
            "choices": [dict(choice) for choice in question.choices],
        }
        for index, question in enumerate(survey.questions.order_by("position", "pk"), start=1)
    ]
