from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from museumpas.models import Language, Museum, Region
from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS
from surveys.models import LANGUAGES, SCALES, Campaign, Question, QuestionKind, Survey


def choices_to_text(choices: list[dict]) -> str:
    return "\n".join(" | ".join(choice[name] for name in ("key", *LANGUAGES)) for choice in choices)


def text_to_choices(text: str) -> list[dict]:
    choices, keys = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or not all(parts):
            raise ValidationError(
                _("Line %(line)d: write key | Dutch | French | English."), params={"line": number}
            )
        if parts[0] in keys:
            raise ValidationError(
                _("Line %(line)d: the key %(key)s is used twice."),
                params={"line": number, "key": parts[0]},
            )
        keys.add(parts[0])
        choices.append(dict(zip(("key", *LANGUAGES), parts, strict=True)))
    return choices


def question_field(question: Question, language: str) -> forms.Field:
    common = {"label": question.text(language), "required": question.required}
    answer_it = _("Please answer this question.")
    if question.kind in SCALES:
        low, high = SCALES[question.kind]
        numbers = [(str(number), str(number)) for number in range(low, high + 1)]
        message = _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return forms.TypedChoiceField(
            choices=numbers,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": message, "required": answer_it},
            **common,
        )
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            choices=question.choice_labels(language),
            widget=forms.RadioSelect,
            error_messages={
                "required": answer_it,
                "invalid_choice": _("Choose one of the options."),
            },
            **common,
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=question.choice_labels(language),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one option."),
                "invalid_choice": _("Choose among the options shown."),
            },
            **common,
        )
    return forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": answer_it},
        **common,
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


def _multiple(label, choices):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone."),
    )


class CampaignForm(forms.ModelForm):
    """A campaign's form, in the editor and the admin (whose fieldsets choose the fields)."""

    languages = _multiple(_("languages"), Language.choices)
    regions = _multiple(_("holder regions"), Region.choices)
    age_groups = _multiple(
        _("age groups"),
        [(key, key) for key, _low, _high in AGE_GROUPS] + [(AGE_GROUP_UNKNOWN, _("unknown"))],
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all_museums") and not cleaned.get("museums"):
            self.add_error("museums", _("Choose museums, or tick “all museums”."))
        start, end = cleaned.get("visits_from"), cleaned.get("visits_until")
        if start and end and end < start:
            self.add_error("visits_until", _("The window ends before it starts."))
        return cleaned

    class Meta:
        model = Campaign
        fields = (
            "name",
            "survey",
            "active",
            "visits_from",
            "visits_until",
            "all_museums",
            "museums",
            "languages",
            "age_groups",
            "regions",
            "visitor_kind",
            "pass_kind",
            "send_delay_days",
            "send_window_days",
            "sample_percent",
            "holder_cap_days",
            "reminder_after_days",
            "link_valid_days",
        )


class CampaignEditorForm(CampaignForm):
    """The editor's campaign form: the browser's date picker, museums as checkboxes."""

    class Meta(CampaignForm.Meta):
        widgets = {
            "visits_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visits_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "museums": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["museums"].queryset = Museum.objects.filter(active=True).order_by("name")
