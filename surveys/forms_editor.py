"""The editor's survey forms: the survey, its questions as rows, each question's choices as rows."""

from django import forms
from django.forms import formset_factory, inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from surveys.models import CHOICE_KINDS, LANGUAGES, Question, Survey
from surveys.services.editor import QuestionDraft


class SurveyEditForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ("name", "title_nl", "title_fr", "title_en", "intro_nl", "intro_fr", "intro_en")
        widgets = {f"intro_{code}": forms.Textarea(attrs={"rows": 2}) for code in LANGUAGES}


class ChoiceForm(forms.Form):
    key = forms.SlugField(
        label=_("key"),
        max_length=40,
        required=False,
        help_text=_("Stored with each answer; empty: made from the English text."),
    )
    nl = forms.CharField(label=_("Dutch"), max_length=200, required=False)
    fr = forms.CharField(label=_("French"), max_length=200, required=False)
    en = forms.CharField(label=_("English"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        texts = [cleaned.get(code) for code in LANGUAGES]
        if any(texts) and not all(texts):
            raise forms.ValidationError(_("Write the choice in Dutch, French and English."))
        return cleaned

    def choice(self) -> dict | None:
        """The choice as stored, or None for an empty or removed row."""
        data = self.cleaned_data
        if not data.get("en") or data.get("DELETE"):
            return None
        key = data.get("key") or slugify(data["en"])[:40] or "choice"
        return {"key": key, **{code: data[code] for code in LANGUAGES}}


ChoiceFormSet = formset_factory(ChoiceForm, extra=2, can_delete=True)


class QuestionEditForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ("kind", "required", "text_nl", "text_fr", "text_en")


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    """Each question form carries `choice_rows`, a formset of its choices."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        prefix = f"{form.prefix}-choices"
        if self.is_bound:
            # Without initial values: a row that equals its initial one would count as unchanged
            # and be skipped, as if emptied.
            form.choice_rows = ChoiceFormSet(data=self.data, prefix=prefix)
        else:
            initial = form.instance.choices if form.instance.pk else None
            form.choice_rows = ChoiceFormSet(initial=initial, prefix=prefix)

    def is_valid(self):
        valid = super().is_valid()
        return all([valid, *(form.choice_rows.is_valid() for form in self.forms)])

    def clean(self):
        super().clean()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.choice_rows.is_valid():
                continue
            form.choices = self._choices_of(form)

    def _choices_of(self, form) -> list[dict]:
        choices = [row.choice() for row in form.choice_rows.forms]
        choices = [choice for choice in choices if choice]
        keys = [choice["key"] for choice in choices]
        kind = form.cleaned_data.get("kind")
        if len(set(keys)) != len(keys):
            form.add_error(None, _("Two choices have the same key."))
        if kind in CHOICE_KINDS and len(choices) < 2:
            form.add_error(None, _("A choice question needs at least two choices."))
        if kind and kind not in CHOICE_KINDS and choices:
            form.add_error(None, _("Only choice questions have choices."))
        return choices

    def drafts(self) -> list[QuestionDraft]:
        """The questions to keep, in the order asked for (after is_valid)."""
        return [
            QuestionDraft(
                pk=form.instance.pk,
                choices=form.choices,
                **{name: form.cleaned_data[name] for name in QuestionEditForm.Meta.fields},
            )
            for form in self.ordered_forms
        ]


QuestionFormSet = inlineformset_factory(
    Survey,
    Question,
    form=QuestionEditForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)
