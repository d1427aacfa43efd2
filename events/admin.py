"""The catalogue in the admin: read-only (UiTdatabank is the source), fast at a million events.

The event list never counts the whole table (EstimatedCountPaginator, no full result count),
joins its foreign keys in the page query, takes its filter choices from a cache, and searches
one trigram-indexed column: a page is the same handful of queries whatever the filters.
"""

import orjson
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from core.audit_words import value_words
from events import selectors
from events.models import Event, Organizer, Place, Term


class _ReadOnlyAdmin(admin.ModelAdmin):
    class Media:
        css = {"all": ["css/curation-admin.css"]}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _FormFilter(admin.SimpleListFilter):
    """A filter drawn as a small form: it keeps the other filters of the page."""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.hidden_params = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in (self.parameter_name, "p")
            for value in values
        ]

    def has_output(self):
        return True


class _TermFilter(_FormFilter):
    """A drop-down rather than a list: there are about a hundred themes."""

    domain = ""
    template = "events/admin/select_filter.html"

    def lookups(self, request, model_admin):
        return selectors.term_choices(self.domain)

    def queryset(self, request, queryset):
        return self.filter(queryset, self.value()) if self.value() else queryset

    def choices(self, changelist):
        # The drop-down submits a form: the admin's link for each of about a hundred terms
        # would never be shown.
        return []


class EventTypeFilter(_TermFilter):
    title = _("event type")
    parameter_name = "event_type"
    domain = "eventtype"
    filter = staticmethod(selectors.events_of_type)


class ThemeFilter(_TermFilter):
    title = _("theme")
    parameter_name = "theme"
    domain = "theme"
    filter = staticmethod(selectors.events_with_term)


class CityFilter(_FormFilter):
    """A text box rather than a list: there are thousands of cities."""

    title = _("city")
    parameter_name = "city"
    template = "events/admin/input_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return selectors.events_in_city(queryset, value) if value else queryset


class HasOnlineUrlFilter(admin.SimpleListFilter):
    title = _("online URL")
    parameter_name = "has_online_url"

    def lookups(self, request, model_admin):
        return (("yes", _("with an online URL")), ("no", _("without an online URL")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return selectors.events_with_online_url(queryset, self.value() == "yes")
        return queryset


class HasFindingsFilter(admin.SimpleListFilter):
    title = _("data findings")
    parameter_name = "has_findings"

    def lookups(self, request, model_admin):
        return (("yes", _("with open data findings")), ("no", _("without open data findings")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return selectors.events_with_findings(queryset, self.value() == "yes")
        return queryset


class AgeGroupFilter(admin.SimpleListFilter):
    title = _("age group")
    parameter_name = "age_group"

    def lookups(self, request, model_admin):
        return selectors.AGE_GROUP_CHOICES

    def queryset(self, request, queryset):
        if self.value() in selectors.AGE_GROUPS:
            return selectors.events_in_age_group(queryset, self.value())
        return queryset


@admin.register(Event)
class EventAdmin(_ReadOnlyAdmin):
    list_display = (
        "name_text",
        "event_type_label",
        "start",
        "city",
        "organizer_name",
        "attendance_mode",
        "workflow_status",
        "status",
        "modified",
    )
    list_select_related = ("event_type", "location", "organizer")
    list_filter = (
        EventTypeFilter,
        ThemeFilter,
        "attendance_mode",
        "workflow_status",
        "status",
        "calendar_type",
        CityFilter,
        HasOnlineUrlFilter,
        AgeGroupFilter,
        HasFindingsFilter,
    )
    search_fields = ("name_text",)  # the search itself is get_search_results below
    search_help_text = _("Name, organiser, city, or the event's id or URL.")
    sortable_by = ("start", "modified")
    show_full_result_count = False
    paginator = selectors.EstimatedCountPaginator
    # Rendering a row costs about as much as the database's work for the page: 25 rows keep
    # a page within its target at a million events (docs/benchmarks.md).
    list_per_page = 25
    readonly_fields = (
        "uitdatabank_link",
        "languages",
        "themes_display",
        "facilities_display",
        "other_terms_display",
        "location_display",
        "age_range",
        "labels_display",
        "hidden_labels_display",
        "findings_display",
        "document_display",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "udb_id",
                    "uitdatabank_link",
                    "name_text",
                    "languages",
                    "description_text",
                    "event_type",
                    "themes_display",
                    "facilities_display",
                    "other_terms_display",
                )
            },
        ),
        (
            _("When and where"),
            {
                "fields": (
                    "calendar_type",
                    "start",
                    "end",
                    "attendance_mode",
                    "online_url",
                    "location_display",
                    "organizer",
                )
            },
        ),
        (
            _("Audience and status"),
            {
                "fields": (
                    "age_range",
                    "audience_type",
                    "workflow_status",
                    "status",
                    "labels_display",
                    "hidden_labels_display",
                    "created",
                    "modified",
                    "imported_at",
                )
            },
        ),
        (_("Data findings"), {"fields": ("findings_display",)}),
        (_("Document as received"), {"fields": ("document_display",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        return selectors.events_matching(queryset, search_term), False

    def get_queryset(self, request):
        # The list shows none of the large columns: leave them in the database.
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_change"):
            return queryset
        return queryset.defer(*selectors.LARGE_COLUMNS)

    @admin.display(description=_("event type"))
    def event_type_label(self, event):
        return event.event_type.label if event.event_type else ""

    @admin.display(description=_("city"))
    def city(self, event):
        return event.location.city if event.location else ""

    @admin.display(description=_("organiser"))
    def organizer_name(self, event):
        return event.organizer.name_text if event.organizer else ""

    @admin.display(description=_("on UiTdatabank"))
    def uitdatabank_link(self, event):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            event.uitdatabank_url,
            event.uitdatabank_url,
        )

    @admin.display(description=_("name per language"))
    def languages(self, event):
        return format_html_join(
            "\n", "<div><strong>{}</strong>: {}</div>", sorted(event.name.items())
        )

    @admin.display(description=_("themes"))
    def themes_display(self, event):
        return _term_list(event.themes)

    @admin.display(description=_("facilities"))
    def facilities_display(self, event):
        return _term_list(event.facilities)

    @admin.display(description=_("other terms"))
    def other_terms_display(self, event):
        return _term_list(event.terms_in())

    @admin.display(description=_("location"))
    def location_display(self, event):
        place = event.location
        if place is None:
            place = selectors.unlinked_location(selectors.findings_of(event, open_only=True))
            if place is None:
                return "-"
            return format_html(
                "{}<br>{}<br><em>{}</em>",
                place.name_text,
                _address(place),
                _("linked to no place record (no usable @id)"),
            )
        if not place.is_physical:
            return _("no physical location (online)")
        return format_html("{}<br>{}", place.name_text or place.id, _address(place))

    @admin.display(description=_("labels"))
    def labels_display(self, event):
        return value_words(event.labels)

    @admin.display(description=_("hidden labels"))
    def hidden_labels_display(self, event):
        return value_words(event.hidden_labels)

    @admin.display(description=_("age range"))
    def age_range(self, event):
        if event.all_ages:
            return _("all ages")
        if event.min_age is None and event.max_age is None:
            return "-"
        return f"{'' if event.min_age is None else event.min_age}-{event.max_age or ''}"

    @admin.display(description=_("data findings"))
    def findings_display(self, event):
        findings = selectors.findings_of(event)
        if not findings:
            return _("none")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "\n",
                '<li><span class="badge {}">{}</span> {} <small>({}{})</small></li>',
                (
                    (
                        "bad" if finding.is_open else "ok",
                        _("open") if finding.is_open else _("closed"),
                        finding.message,
                        _when(finding.opened_at),
                        f" - {_when(finding.closed_at)}" if finding.closed_at else "",
                    )
                    for finding in findings
                ),
            ),
        )

    @admin.display(description=_("document"))
    def document_display(self, event):
        return _document(event)


def _document(obj):
    text = orjson.dumps(obj.document, option=orjson.OPT_INDENT_2).decode()
    return format_html('<pre class="curation-document">{}</pre>', text)


def _when(moment) -> str:
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT")


def _address(place) -> str:
    return ", ".join(
        part for part in (place.street, f"{place.postal_code} {place.city}".strip()) if part
    )


def _term_list(terms):
    if not terms:
        return "-"
    return format_html_join(", ", "{} <small>({})</small>", ((t.label, t.id) for t in terms))


@admin.register(Term)
class TermAdmin(_ReadOnlyAdmin):
    list_display = ("id", "label_nl", "label_fr", "domain", "group_nl", "in_taxonomy", "unknown")
    list_filter = ("domain", "in_taxonomy", "unknown")
    search_fields = ("id", "label_nl", "label_fr", "label_en")
    exclude = ("scope", "legacy_labels_nl")
    readonly_fields = ("scope_display", "legacy_labels_display")

    @admin.display(description=_("scope"))
    def scope_display(self, term):
        return value_words(term.scope)

    @admin.display(description=_("legacy Dutch labels"))
    def legacy_labels_display(self, term):
        return value_words(term.legacy_labels_nl)


class _PlaceOrOrganizerAdmin(_ReadOnlyAdmin):
    show_full_result_count = False
    paginator = selectors.EstimatedCountPaginator
    exclude = ("document",)
    readonly_fields = ("document_display",)

    @admin.display(description=_("document as last received"))
    def document_display(self, place_or_organizer):
        return _document(place_or_organizer)


@admin.register(Place)
class PlaceAdmin(_PlaceOrOrganizerAdmin):
    list_display = ("name_text", "street", "postal_code", "city", "id")
    search_fields = ("name_text", "city", "=id")


@admin.register(Organizer)
class OrganizerAdmin(_PlaceOrOrganizerAdmin):
    list_display = ("name_text", "city", "url", "id")
    search_fields = ("name_text", "=id")
