"""The channels table's filters, validated at the edge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from channels.models import ChannelType, Status


class ChannelFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    partner = forms.CharField(label=_("Partner"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("all types")), *ChannelType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all statuses")), *Status.choices]
    )

    def filter(self, rows):
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["q"]:
            rows = rows.filter(name__icontains=data["q"])
        if data["partner"]:
            rows = rows.filter(partner__name__icontains=data["partner"])
        if data["type"]:
            rows = rows.filter(type=data["type"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        return rows
