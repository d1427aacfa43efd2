"""The UiTPAS pages' query strings, validated at the edge."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from uitpas import overview

EARLIEST = datetime.date(2008, 1, 1)


class DayField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"range": _("Enter a date from %(first)s to %(last)s.")}

    def validate(self, value):
        super().validate(value)
        last = datetime.date(datetime.date.today().year + 1, 12, 31)
        if value and not EARLIEST <= value <= last:
            raise forms.ValidationError(
                self.error_messages["range"],
                code="range",
                params={"first": EARLIEST.isoformat(), "last": last.isoformat()},
            )


class ProfilesForm(forms.Form):
    to = DayField(label=_("Up to"), required=False)


class RangeForm(forms.Form):
    """The API's `from` and `to` (days, both included); the last 12 months by default."""

    start = DayField(required=False)
    stop = DayField(required=False)
    MAX_DAYS = 10 * 366

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {"start": data.get("from", ""), "stop": data.get("to", "")}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, stop = cleaned.get("start"), cleaned.get("stop")
        if start and stop and stop < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        if start and stop and (stop - start).days > self.MAX_DAYS:
            raise forms.ValidationError(_("A period is at most ten years long."))
        return cleaned


class SortForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(key, key) for key in overview.SORTS]
    )
    descending = forms.BooleanField(label=_("Descending"), required=False)

    def value(self) -> tuple[str, bool]:
        if not self.is_valid():
            return "name", False
        return self.cleaned_data["sort"] or "name", self.cleaned_data["descending"]
