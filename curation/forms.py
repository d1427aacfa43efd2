"""The decision form of each queue kind, with its keyboard shortcuts; also the skip form.

The task page and the API validate with the same forms. A form's `values()` is what the
decision service writes; its `shortcuts` say which key picks which option ({field: {value:
key}}), or which key cycles through a field's options ({field: {"cycle": key}}).

One key map for every queue, so that a key never means two things: digits answer a form's
`main` question (its n-th option, or in a checklist its n-th item), each letter of
`LETTER_KEYS` picks one answer wherever that question is asked, and `PAGE_SHORTCUTS` act on the
page. A curator learns the map once; the "?" overlay shows all of it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.roles import CURATOR
from curation.models import (
    QUALITY_ITEMS,
    Confirmation,
    FindingsOutcome,
    LocationFit,
    Moderation,
    OfferKind,
    QueueKind,
    RejectionReason,
    UrlState,
)

# Keys every task page has; decision keys never use them.
NOTE_KEY = "e"
PAGE_SHORTCUTS = (
    ("Enter", _("save and go to the next task")),
    (NOTE_KEY, _("write a note (Escape leaves the note)")),
    ("n", _("next: leave this task to others and open the next one")),
    ("s", _("skip this task (asks for a reason)")),
    ("Escape", _("stop: release this task and go back to the overview")),
    ("t", _("show or hide the document as received")),
    ("?", _("show or hide all shortcuts")),
)

# The letters of secondary questions: the same letter picks the same answer in every queue.
LETTER_KEYS: dict[str, dict[str, str]] = {
    "url_state": {"works": "w", "broken": "b", "missing": "m"},
    "location_fit": {"fits": "f", "should_be_online": "o", "should_be_physical": "p"},
    "rejection_reason": {"duplicate": "d", "inappropriate": "i", "other": "x"},
}
DIGITS = "123456789"


def _radio(choices, label, **options) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **options)


class DecisionForm(forms.Form):
    kind = ""
    main = ""  # the question the digits answer
    note = forms.CharField(
        label=_("note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = self.fields.pop("note")  # after the kind's own fields

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "note"}

    @classmethod
    def initial_for(cls, values: dict) -> dict:
        """A decision's values as this form's initial data (to amend it)."""
        return dict(values)

    def describe(self) -> list[tuple[str, str]]:
        """(question, answer) of the initial data: what a decision said, in words."""
        described = []
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if name == "note" or value in (None, ""):
                continue
            labels = {str(key): label for key, label in getattr(field, "choices", ())}
            described.append((field.label, labels.get(str(value), value)))
        return described

    @property
    def shortcuts(self) -> dict[str, dict[str, str]]:
        keys = {name: LETTER_KEYS[name] for name in self.fields if name in LETTER_KEYS}
        if self.main:
            choices = [str(value) for value, _label in self.fields[self.main].choices]
            keys[self.main] = dict(zip(choices, DIGITS, strict=False))
        return keys

    def shortcut_fields(self) -> list[dict]:
        """Each field with its options and keys, in the order the template draws them."""
        rows = []
        for name, field in self.fields.items():
            keys = self.shortcuts.get(name, {})
            options = [
                {"value": value, "label": label, "key": keys.get(str(value), "")}
                for value, label in getattr(field, "choices", ())
            ]
            rows.append({"field": self[name], "options": options, "cycle": keys.get("cycle", "")})
        return rows

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(key, what it does) for the page's list of shortcuts."""
        listed = []
        for row in self.shortcut_fields():
            label = row["field"].label
            if row["cycle"]:
                listed.append((row["cycle"], _("%(field)s: pass or fail") % {"field": label}))
            listed += [(o["key"], f"{label}: {o['label']}") for o in row["options"] if o["key"]]
        return listed


class ConfirmForm(DecisionForm):
    kind = QueueKind.CONFIRM
    main = "confirmation"
    confirmation = _radio(Confirmation.choices, _("is this still on?"))

    def clean(self):
        data = super().clean()
        if data.get("confirmation") == Confirmation.NEEDS_EDIT and not data.get("note"):
            self.add_error("note", _("Say what needs an edit."))
        return data


class VirtualForm(DecisionForm):
    kind = QueueKind.VIRTUAL
    offer_kind = _radio(OfferKind.choices, _("kind of offer"))
    url_state = _radio(UrlState.choices, _("online URL"), required=False)
    corrected_url = forms.URLField(
        label=_("corrected URL"), required=False, max_length=2000, assume_scheme="https"
    )
    location_fit = _radio(LocationFit.choices, _("location"), required=False)
    main = "offer_kind"

    def clean(self):
        """URL and location are judged for virtual offer only; "not virtual" needs neither."""
        data = super().clean()
        if data.get("offer_kind") == OfferKind.NOT_VIRTUAL:
            data.update(url_state="", corrected_url="", location_fit="")
            return data
        for name in ("url_state", "location_fit"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, forms.Field.default_error_messages["required"])
        return data


class YesNoField(forms.ChoiceField):
    """ "yes"/"no", also given as a JSON boolean through the API; cleans to True or False."""

    def to_python(self, value):
        if value in (True, "true", "True", "1", 1):
            return "yes"
        if value in (False, "false", "False", "0", 0):
            return "no"
        return super().to_python(value)

    def clean(self, value):
        return super().clean(value) == "yes"


class FamilyForm(DecisionForm):
    kind = QueueKind.FAMILY
    family = YesNoField(
        choices=[("yes", _("family offer")), ("no", _("not family offer"))],
        widget=forms.RadioSelect,
        label=_("also for children?"),
    )
    main = "family"

    @classmethod
    def initial_for(cls, values: dict) -> dict:
        return {"family": "yes" if values.get("family") else "no"}


class QualityForm(DecisionForm):
    kind = QueueKind.QUALITY
    # The checklist is the main question: digit n cycles the n-th item through pass and fail.
    shortcuts = {
        f"check_{item}": {"cycle": digit}
        for digit, (item, _label) in zip(DIGITS, QUALITY_ITEMS, strict=False)
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        verdicts = [("pass", _("pass")), ("fail", _("fail"))]
        checks = {
            # No initial answer: Enter must not accept a checklist nobody read.
            f"check_{item}": _radio(verdicts, label)
            for item, label in QUALITY_ITEMS
        }
        self.fields = {**checks, **self.fields}

    def values(self) -> dict:
        return {"quality": {item: self.cleaned_data[f"check_{item}"] for item, _ in QUALITY_ITEMS}}

    @classmethod
    def initial_for(cls, values: dict) -> dict:
        return {f"check_{item}": verdict for item, verdict in values.get("quality", {}).items()}


class ModerationForm(DecisionForm):
    kind = QueueKind.MODERATION
    moderation = _radio(Moderation.choices, _("moderation"))
    rejection_reason = _radio(RejectionReason.choices, _("reason for rejection"), required=False)
    main = "moderation"

    def clean(self):
        data = super().clean()
        if data.get("moderation") == Moderation.REJECTED:
            if not data.get("rejection_reason"):
                self.add_error("rejection_reason", _("A rejection needs a reason."))
            elif data["rejection_reason"] == RejectionReason.OTHER and not data.get("note"):
                self.add_error("note", _("Write the reason for the rejection."))
        elif data.get("moderation") == Moderation.APPROVED:
            data["rejection_reason"] = ""
        return data


class FindingsForm(DecisionForm):
    kind = QueueKind.FINDINGS
    findings = _radio(FindingsOutcome.choices, _("what was done about the findings?"))
    main = "findings"
    field_order = ["findings", "note"]


DECISION_FORMS: dict[str, type[DecisionForm]] = {
    form.kind: form
    for form in (ConfirmForm, VirtualForm, FamilyForm, QualityForm, ModerationForm, FindingsForm)
}


def shared_keymap() -> list[tuple[str, str]]:
    """Every key of every queue with what it does: the "?" overlay."""
    letters = {}
    for form_class in DECISION_FORMS.values():
        for name, field in form_class().fields.items():
            labels = dict(getattr(field, "choices", ()))
            for value, key in LETTER_KEYS.get(name, {}).items():
                letters[key] = f"{field.label}: {labels[value]}"
    digits = _("the main question: its n-th answer; in a checklist, its n-th item (pass, fail)")
    return [("1-9", digits), *sorted(letters.items()), *PAGE_SHORTCUTS]


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("why skip this task?"), max_length=1000)


class AssignForm(forms.Form):
    """The admin's "assign to a curator" action."""

    curator = forms.ModelChoiceField(
        queryset=User.objects.filter(groups__name=CURATOR, is_active=True).order_by("username"),
        label=_("curator"),
    )
