from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import SCALES, Question, QuestionKind, Survey


def _scale_field(question: Question, label: str) -> forms.Field:
    low, high = SCALES[question.kind]
    message = _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}
    return forms.TypedChoiceField(
        label=label,
        required=question.required,
        choices=[(str(number), str(number)) for number in range(low, high + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message, "required": _("Please answer this question.")},
    )


def question_field(question: Question, language: str) -> forms.Field:
    label = question.text(language)
    required_message = {"required": _("Please answer this question.")}
    if question.kind in SCALES:
        return _scale_field(question, label)
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            label=label,
            required=question.required,
            choices=question.choice_labels(language),
            widget=forms.RadioSelect,
            error_messages={
                **required_message,
                "invalid_choice": _("Choose one of the options."),
            },
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=question.required,
            choices=question.choice_labels(language),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one option."),
                "invalid_choice": _("Choose among the options shown."),
            },
        )
    return forms.CharField(
        label=label,
        required=question.required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required_message,
    )


class SurveyForm(forms.Form):
    """The questions of a survey in one language; fields are named q<question id>."""

    def __init__(self, *args, survey: Survey, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            field = question_field(question, language)
            field.question = question
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, object]:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }

    def rows(self):
        """(question, bound field) in order, for the template."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]
