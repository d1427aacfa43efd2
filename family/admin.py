"""The family-offer rule in the admin: versions listed, drafts edited, one version activated.

A new version starts from the active one's values. A version that was ever active is shown
read-only (its classifications name it); "Make a new draft from it" copies it. Saving and
activating go through family.services.versions, which checks the values exactly as
`family_rules import` does and leaves the audit rows.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.services import config_delete
from curation.admin import audit_trail_html, curated_values_html
from curation.models import EventCuration
from events.admin import EventAdmin
from events.models import Event
from events.selectors import term_choices, term_map
from family.models import FamilyClassification, FamilyRule
from family.selectors import FAMILY_RELATED, family_state
from family.services.classify import active_rule
from family.services.rule import (
    KEYWORD_FIELDS,
    NUMBER_FIELDS,
    TERM_FIELDS,
    RuleDataError,
    rule_values,
)
from family.services.versions import (
    family_rule_activate,
    family_rule_create,
    family_rule_update,
    known_terms,
    rule_as_json,
)

_KEYWORD_HELP = _(
    "One keyword or phrase a line. A keyword matches every word that starts with it, whatever "
    "the case or accents: 'kind' also finds 'Kinderen', so listing both would count that word "
    "twice."
)


def _line_position(field: str, index: int) -> str:
    return str(_("line %(number)s") % {"number": index + 1})


def _terms_field(label: str, plural: str) -> forms.MultipleChoiceField:
    widget = FilteredSelectMultiple(plural, is_stacked=False)
    return forms.MultipleChoiceField(label=label, required=False, widget=widget)


class FamilyRuleForm(forms.ModelForm):
    keywords = forms.CharField(
        label=_("keywords"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_KEYWORD_HELP
    )
    excluded_event_types = _terms_field(_("excluded event types"), _("event types"))
    excluded_themes = _terms_field(_("excluded themes"), _("themes"))
    excluded_keywords = forms.CharField(
        label=_("excluded keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One a line; any of them in the text removes the label."),
    )

    class Meta:
        model = FamilyRule
        fields = ["note", *NUMBER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_event_types"].choices = term_choices("eventtype")
        self.fields["excluded_themes"].choices = term_choices("theme")
        if self.instance.pk:  # a draft edited; a new version gets the active one's values
            self.initial.update(rule_as_json(self.instance))
        for name in KEYWORD_FIELDS:
            self.initial[name] = "\n".join(self.initial.get(name, []))

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) is None for name in NUMBER_FIELDS):
            return cleaned  # the field's own error says what is wrong
        data = {name: cleaned.get(name, []) for name in (*NUMBER_FIELDS, *TERM_FIELDS)}
        for name in KEYWORD_FIELDS:
            data[name] = [line for line in cleaned.get(name, "").splitlines() if line.strip()]
        try:
            self.rule_values = rule_values(data, known_terms(), position=_line_position)
        except RuleDataError as error:
            for problem in error.problems:
                self.add_error(problem.field or None, str(problem))
        return cleaned


@admin.register(FamilyRule)
class FamilyRuleAdmin(admin.ModelAdmin):
    form = FamilyRuleForm
    list_display = (
        "version",
        "is_active",
        "threshold",
        "keyword_count",
        "note",
        "created_at",
        "activated_at",
        "evaluate_link",
    )
    list_display_links = ("version",)
    actions = ("activate", "copy_as_draft")
    fieldsets = (
        (None, {"fields": ("note",)}),
        (
            _("Points"),
            {
                "fields": (
                    "threshold",
                    "keyword_points",
                    ("min_age_points", "min_age_max"),
                    ("max_age_points", "max_age_max"),
                    "keywords",
                )
            },
        ),
        (
            _("Exclusions"),
            {"fields": ("excluded_event_types", "excluded_themes", "excluded_keywords")},
        ),
    )

    class Media:
        css = {"all": ["css/curation-admin.css"]}

    def has_delete_permission(self, request, obj=None):
        # Drafts only, one at a time: without a version (the list's bulk action), never.
        return obj is not None and obj.is_draft and super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # A version that was active once is shown, not edited: its classifications name it.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def get_fieldsets(self, request, obj=None):
        if obj is None or obj.is_draft:
            return self.fieldsets
        return (
            (None, {"fields": ("version", "is_active", "note", "activated_at")}),
            (_("Points"), {"fields": (*NUMBER_FIELDS, "keywords")}),
            (
                _("Exclusions"),
                {"fields": ("event_types_display", "themes_display", "excluded_keywords")},
            ),
        )

    @admin.display(description=_("excluded event types"))
    def event_types_display(self, rule):
        return _term_labels(rule.excluded_event_types)

    @admin.display(description=_("excluded themes"))
    def themes_display(self, rule):
        return _term_labels(rule.excluded_themes)

    def get_changeform_initial_data(self, request):
        """A new version starts as a copy of the active one."""
        active = active_rule()
        return rule_as_json(active) if active else {}

    def save_model(self, request, obj, form, change):
        values = {**form.rule_values, "note": form.cleaned_data.get("note", "")}
        if change:
            family_rule_update(rule=obj, values=values, actor=request.user)
        else:
            note = values.pop("note")
            created = family_rule_create(values=values, actor=request.user, note=note)
            obj.pk = obj.version = created.version

    def save_related(self, request, form, formsets, change):
        pass  # no relations; and form.save_m2m would save the instance a second time

    def delete_model(self, request, obj):
        config_delete(instance=obj, actor=request.user)

    @admin.display(description=_("keywords"))
    def keyword_count(self, rule):
        return len(rule.keywords)

    @admin.display(description=_("evaluation"))
    def evaluate_link(self, rule):
        url = reverse("family:evaluation")
        if rule.is_active:
            return format_html('<a href="{}">{}</a>', url, _("evaluate"))
        return format_html(
            '<a href="{}?compare={}">{}</a>', url, rule.version, _("compare with the active one")
        )

    @admin.action(description=_("Activate the selected version"), permissions=["change"])
    def activate(self, request, queryset):
        if (rule := self._one(request, queryset)) is None:
            return
        if rule.is_active:
            message = _("Version %(version)s is already active.") % {"version": rule.version}
        else:
            family_rule_activate(rule=rule, actor=request.user)
            message = _(
                "Version %(version)s is active; the events are being classified by it again."
            ) % {"version": rule.version}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Make a new draft from the selected version"), permissions=["add"])
    def copy_as_draft(self, request, queryset):
        if (rule := self._one(request, queryset)) is None:
            return None
        note = _("Copy of version %(version)s") % {"version": rule.version}
        draft = family_rule_create(values=rule_as_json(rule), actor=request.user, note=str(note))
        self.message_user(
            request,
            _("Version %(version)s is a new draft.") % {"version": draft.version},
            messages.SUCCESS,
        )
        return redirect("admin:family_familyrule_change", draft.pk)

    def _one(self, request, queryset):
        rules = list(queryset[:2])
        if len(rules) != 1:
            self.message_user(request, _("Select exactly one version."), messages.WARNING)
            return None
        return rules[0]


def _term_labels(term_ids: list[str]) -> str:
    terms = term_map(term_ids)
    return ", ".join(f"{terms[term_id].label} ({term_id})" for term_id in term_ids) or "-"


class EventWithCurationAdmin(EventAdmin):
    """The catalogue's event admin with what curation and the family-offer rule add: the
    family flag in the list, the family explanation, curated values and audit trail."""

    list_display = (*EventAdmin.list_display[:-1], "family_final", "modified")
    readonly_fields = (*EventAdmin.readonly_fields, "family_offer", "curated_values", "audit_trail")
    fieldsets = (
        *EventAdmin.fieldsets[:-1],
        (_("Curation"), {"fields": ("family_offer", "curated_values", "audit_trail")}),
        EventAdmin.fieldsets[-1],
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_change"):
            return queryset.select_related(*FAMILY_RELATED)
        # Subqueries, not joins: PostgreSQL evaluates them for the page's rows only, after
        # sorting, where a join would be made for every row matching a filter.
        return queryset.annotate(
            family_automatic=Subquery(
                FamilyClassification.objects.filter(event=OuterRef("pk")).values("label")
            ),
            family_curated=Subquery(
                EventCuration.objects.filter(event=OuterRef("pk")).values("family")
            ),
        )

    @admin.display(description=_("family offer"), boolean=True)
    def family_final(self, event):
        return event.family_automatic if event.family_curated is None else event.family_curated

    @admin.display(description=_("family offer"))
    def family_offer(self, event):
        state = family_state(event, getattr(event, "family_classification", None))
        return render_to_string("family/admin/family_offer.html", {"state": state})

    @admin.display(description=_("curated values"))
    def curated_values(self, event):
        return curated_values_html(event)

    @admin.display(description=_("audit trail"))
    def audit_trail(self, event):
        return audit_trail_html(event)


admin.site.unregister(Event)
admin.site.register(Event, EventWithCurationAdmin)

# The learned model's versions (a module of their own: this one is long enough).
from family import admin_model  # noqa: E402, F401
