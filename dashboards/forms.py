"""The dashboard's query string: period, filters and comment search, validated at the edge."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards import periods
from dashboards.privacy import Segment
from museumpas.models import Language, Region
from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS

AGE_GROUP_CHOICES = [
    ("", _("all ages")),
    *((key, key) for key, _low, _high in AGE_GROUPS),
    (AGE_GROUP_UNKNOWN, _("age unknown")),
]
LANGUAGE_CHOICES = [("", _("all languages")), *Language.choices]
REGION_CHOICES = [("", _("all regions")), *Region.choices]


def _check_range(value, first: datetime.date, last: datetime.date, message) -> None:
    if value and not first <= value <= last:
        raise forms.ValidationError(
            message, code="range", params={"first": first.isoformat(), "last": last.isoformat()}
        )


class MonthField(forms.DateField):
    """A month as 2026-03 (what <input type=month> sends); a full date stands for its month.
    Only months from the Museumpas' start to next year (periods.plausible_months)."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Enter a month like 2026-03."),
        "range": _("Enter a month from %(first)s to %(last)s."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value

    def validate(self, value):
        super().validate(value)
        first, last = periods.plausible_months()
        _check_range(value, first, last, self.error_messages["range"])


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=periods.KINDS, required=False)
    start = MonthField(label=_("From"), required=False)
    stop = MonthField(label=_("To"), required=False)

    # The query string says from= and to=; both are Python keywords or builtins here.
    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {
                "period": data.get("period", ""),
                "start": data.get("from", ""),
                "stop": data.get("to", ""),
            }
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        kind, start, stop = cleaned.get("period"), cleaned.get("start"), cleaned.get("stop")
        if self.errors:
            return cleaned
        if not start:
            cleaned["value"] = periods.default_period()
            return cleaned
        kind = kind or (periods.CUSTOM if stop else periods.MONTH)
        if kind == periods.CUSTOM:
            stop = stop or start
            if stop < start:
                raise forms.ValidationError(_("The end of the period is before its start."))
            if len(periods.months_between(start, stop)) > periods.MAX_MONTHS:
                raise forms.ValidationError(
                    _("A period is at most %(months)d months long."),
                    params={"months": periods.MAX_MONTHS},
                )
        cleaned["value"] = periods.period_for(kind, start, stop)
        return cleaned

    def period_value(self) -> periods.Period:
        """The chosen period, or the default one when the input is invalid."""
        if self.is_valid():
            return self.cleaned_data["value"]
        return periods.default_period()


class SegmentForm(forms.Form):
    age_group = forms.ChoiceField(label=_("Age group"), choices=AGE_GROUP_CHOICES, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    region = forms.ChoiceField(label=_("Holder region"), choices=REGION_CHOICES, required=False)

    def segment_value(self) -> Segment:
        return Segment(**self.cleaned_data) if self.is_valid() else Segment()


class CommentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the comments"), max_length=100, required=False)


class DayField(forms.DateField):
    """A day from the Museumpas' start to the end of next year."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"range": _("Enter a date from %(first)s to %(last)s.")}

    def validate(self, value):
        super().validate(value)
        first, last = periods.plausible_months()
        _check_range(value, first, periods.month_end(last), self.error_messages["range"])


class ComparisonForm(forms.Form):
    """Three windows of days; each ends on or after it starts and spans at most three years."""

    MAX_DAYS = 3 * 366

    before_from = DayField(label=_("Before: from"))
    before_to = DayField(label=_("Before: to"))
    during_from = DayField(label=_("During: from"))
    during_to = DayField(label=_("During: to"))
    after_from = DayField(label=_("After: from"))
    after_to = DayField(label=_("After: to"))

    def clean(self):
        cleaned = super().clean()
        for window in ("before", "during", "after"):
            first, last = cleaned.get(f"{window}_from"), cleaned.get(f"{window}_to")
            if first and last and last < first:
                self.add_error(f"{window}_to", _("The window ends before it starts."))
            elif first and last and (last - first).days >= self.MAX_DAYS:
                self.add_error(f"{window}_to", _("A window spans at most three years."))
        return cleaned

    def windows(self) -> list[tuple[datetime.date, datetime.date]]:
        return [
            (self.cleaned_data[f"{window}_from"], self.cleaned_data[f"{window}_to"])
            for window in ("before", "during", "after")
        ]
