"""The event catalogue: UiTdatabank events with their taxonomy terms, places and organisers.

Events arrive as JSON-LD (see `events.services.documents`). Each row keeps the document as
received next to the columns we query; everything a list, a filter or a later rule reads is a
column with an index, everything else is read from the document.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.fields import JSONDocumentField, JSONTextField

# UiTdatabank's marker for "no physical location": online events point at this place.
NIL_PLACE_ID = "00000000-0000-0000-0000-000000000000"


class Term(models.Model):
    """A taxonomy term (event type, theme, facility, or a legacy domain), keyed by its id.

    Events are matched on the id, never on the label: labels were renamed over the years.
    """

    id = models.CharField(_("id"), primary_key=True, max_length=64)
    domain = models.CharField(_("domain"), max_length=40, db_index=True)
    scope = models.JSONField(_("scope"), default=list, blank=True)
    label_nl = models.CharField(_("Dutch label"), max_length=200, blank=True)
    label_fr = models.CharField(_("French label"), max_length=200, blank=True)
    label_de = models.CharField(_("German label"), max_length=200, blank=True)
    label_en = models.CharField(_("English label"), max_length=200, blank=True)
    legacy_labels_nl = models.JSONField(_("legacy Dutch labels"), default=list, blank=True)
    group_nl = models.CharField(_("group"), max_length=100, blank=True)
    in_taxonomy = models.BooleanField(
        _("in the official taxonomy"),
        default=False,
        help_text=_("Listed in the current official terms.json."),
    )
    unknown = models.BooleanField(
        _("unknown to the taxonomy"),
        default=False,
        help_text=_("Met in an event but in neither taxonomy file; kept with the event's label."),
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["domain", "label_nl"]

    def __str__(self):
        return f"{self.label} ({self.id})"

    @property
    def label(self) -> str:
        return self.label_nl or self.label_en or self.id


class Place(models.Model):
    """A place as embedded in events (or imported as a place document), keyed by its id.

    Ids are UiTdatabank's, lower-cased; legacy ids that are not RFC 4122 UUIDs are kept as they are.
    """

    id = models.CharField(_("id"), primary_key=True, max_length=64)
    name = models.JSONField(_("name"), default=dict, blank=True)
    name_text = models.CharField(_("name"), max_length=500, blank=True)
    street = models.CharField(_("street"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    hidden_labels = models.JSONField(_("hidden labels"), default=list, blank=True)
    document = models.JSONField(_("document as last received"), null=True, blank=True)
    content_hash = models.CharField(max_length=32, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last written"), auto_now=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [models.Index(fields=["city"], name="events_place_city")]

    def __str__(self):
        return self.name_text or self.id

    @property
    def is_physical(self) -> bool:
        return self.id != NIL_PLACE_ID


class Organizer(models.Model):
    id = models.CharField(_("id"), primary_key=True, max_length=64)
    name = models.JSONField(_("name"), default=dict, blank=True)
    name_text = models.CharField(_("name"), max_length=500, blank=True)
    url = models.TextField(_("website"), blank=True)
    street = models.CharField(_("street"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    hidden_labels = models.JSONField(_("hidden labels"), default=list, blank=True)
    document = models.JSONField(_("document as last received"), null=True, blank=True)
    content_hash = models.CharField(max_length=32, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last written"), auto_now=True)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self):
        return self.name_text or self.id


# The event's foreign keys have no constraint in the database. The import is the only writer of
# events and writes the places, organisers and terms they refer to first, in the same
# transaction; nothing deletes those (the admin is read-only, and PROTECT guards ORM deletes).
# Checking three foreign keys per row cost 14 µs of about 110 µs per event in the import
# (docs/benchmarks.md). Each is indexed in Meta, without the pattern-ops twin of a text key.
_IMPORT_WRITES_REFERENCES = {
    "null": True,
    "blank": True,
    "on_delete": models.PROTECT,
    "db_index": False,
    "db_constraint": False,
}


class Event(models.Model):
    class Source(models.TextChoices):
        UITDATABANK = "uitdatabank", _("UiTdatabank")
        # The form used while UiTdatabank could not take virtual offer (import_virtual_form).
        FORM = "form", _("virtual offer form")

    class AttendanceMode(models.TextChoices):
        OFFLINE = "offline", _("offline")
        ONLINE = "online", _("online")
        MIXED = "mixed", _("mixed")

    class CalendarType(models.TextChoices):
        SINGLE = "single", _("single")
        MULTIPLE = "multiple", _("multiple")
        PERIODIC = "periodic", _("periodic")
        PERMANENT = "permanent", _("permanent")

    class WorkflowStatus(models.TextChoices):
        DRAFT = "DRAFT", _("draft")
        READY_FOR_VALIDATION = "READY_FOR_VALIDATION", _("ready for validation")
        APPROVED = "APPROVED", _("approved")
        REJECTED = "REJECTED", _("rejected")
        DELETED = "DELETED", _("deleted")

    class Status(models.TextChoices):
        AVAILABLE = "Available", _("available")
        POSTPONED = "TemporarilyUnavailable", _("postponed")
        CANCELLED = "Unavailable", _("cancelled")

    class AudienceType(models.TextChoices):
        EVERYONE = "everyone", _("everyone")
        MEMBERS = "members", _("members")
        EDUCATION = "education", _("education")

    # A surrogate key keeps foreign keys from tasks, classifications and term links small;
    # the UiTdatabank id is the identity everywhere outside the database.
    id = models.BigAutoField(primary_key=True)
    # Byte-wise ("C"): an id has no language, and its unique index takes inserts faster.
    udb_id = models.CharField(_("UiTdatabank id"), max_length=64, db_collation="C")
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.UITDATABANK
    )
    # Language maps as `json`, not `jsonb`: nothing filters on them (see curation/fields.py).
    name = JSONTextField(_("name"), default=dict)
    name_text = models.TextField(_("name"))
    description = JSONTextField(_("description"), default=dict, blank=True)
    description_text = models.TextField(_("description (main language, without HTML)"), blank=True)
    main_language = models.CharField(_("main language"), max_length=8, default="nl")
    event_type = models.ForeignKey(
        Term, verbose_name=_("event type"), related_name="+", **_IMPORT_WRITES_REFERENCES
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    all_ages = models.BooleanField(_("all ages"), default=False)
    attendance_mode = models.CharField(
        _("attendance mode"),
        max_length=10,
        choices=AttendanceMode.choices,
        default=AttendanceMode.OFFLINE,
    )
    online_url = models.TextField(_("online URL"), blank=True)
    location = models.ForeignKey(
        Place, verbose_name=_("location"), related_name="events", **_IMPORT_WRITES_REFERENCES
    )
    organizer = models.ForeignKey(
        Organizer, verbose_name=_("organiser"), related_name="events", **_IMPORT_WRITES_REFERENCES
    )
    calendar_type = models.CharField(
        _("calendar type"), max_length=10, choices=CalendarType.choices, blank=True
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    workflow_status = models.CharField(
        _("workflow status"), max_length=20, choices=WorkflowStatus.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=22, choices=Status.choices, default=Status.AVAILABLE
    )
    audience_type = models.CharField(
        _("audience"), max_length=10, choices=AudienceType.choices, default=AudienceType.EVERYONE
    )
    # Every term id of the event, its event type included, in the document's order. A JSON
    # list with a GIN index rather than a link table: one row per event keeps the import and
    # the "events with theme X" filter fast (`term_ids @> '["1.8.2.0.0"]'`).
    term_ids = models.JSONField(_("terms"), default=list, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    hidden_labels = models.JSONField(_("hidden labels"), default=list, blank=True)
    created = models.DateTimeField(_("created in UiTdatabank"), null=True, blank=True)
    modified = models.DateTimeField(_("modified in UiTdatabank"), null=True, blank=True)
    # The exact text received (PostgreSQL `text`: see curation/fields.py).
    document = JSONDocumentField(_("document as received"))
    # Change detection (see events.services.event_import): the hash of the stored document
    # and of the versions it replaced, so a re-import of any earlier file changes nothing.
    # Looked up by udb_id, so it needs no index of its own.
    content_hash = models.CharField(max_length=32, editable=False)
    earlier_hashes = models.JSONField(default=list, blank=True, editable=False)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # Newest first, events without `modified` last; its index (modified DESC NULLS LAST,
        # id DESC) is in migration 0002, as SQLite cannot index NULLS LAST.
        ordering = [F("modified").desc(nulls_last=True), "-id"]
        # A constraint rather than unique=True: the same unique index, without the extra
        # pattern-ops index Django adds for a unique CharField on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["udb_id"], name="events_event_udb_id")]
        indexes = [
            models.Index(fields=["event_type"], name="events_event_type"),
            models.Index(fields=["location"], name="events_event_location"),
            models.Index(fields=["organizer"], name="events_event_organizer"),
            models.Index(fields=["start"], name="events_event_start"),
            # The common values (approved, single, offline, available) are most rows: only the
            # others, which queues and filters look for, are worth an index.
            models.Index(
                fields=["workflow_status"],
                name="events_event_workflow",
                condition=~Q(workflow_status="APPROVED"),
            ),
            models.Index(
                fields=["calendar_type"],
                name="events_event_calendar",
                condition=~Q(calendar_type="single"),
            ),
            models.Index(
                fields=["attendance_mode"],
                name="events_event_attendance",
                condition=~Q(attendance_mode="offline"),
            ),
            models.Index(
                fields=["status"], name="events_event_status", condition=~Q(status="Available")
            ),
            models.Index(
                fields=["id"], name="events_event_online_url", condition=~Q(online_url="")
            ),
        ]

    def __str__(self):
        return self.name_text

    @property
    def uitdatabank_url(self) -> str:
        return settings.UITDATABANK_EVENT_URL.format(id=self.udb_id)

    def terms_in(self, *domains: str) -> list:
        """This event's terms of those domains (all others when none given), in its order."""
        from events.selectors import term_map

        terms = term_map(self.term_ids)
        known = ("eventtype", "theme", "facility")
        return [
            terms[term_id]
            for term_id in self.term_ids
            if (terms[term_id].domain in domains if domains else terms[term_id].domain not in known)
        ]

    @property
    def themes(self) -> list:
        return self.terms_in("theme")

    @property
    def facilities(self) -> list:
        return self.terms_in("facility")


class DataFinding(models.Model):
    """A defect the import met in an event's document and worked around: what kind, where
    (`field`, a path in the document such as "location.geo") and the value as received.

    Open until a later version of the document no longer has it (`closed_at`). The message is
    rendered from the kind in the reader's language, never stored.
    """

    class Kind(models.TextChoices):
        WRONG_DOMAIN = "wrong_domain", _("term in the wrong domain")
        UNKNOWN_TERM = "unknown_term", _("term unknown to the taxonomy")
        EXTRA_EVENT_TYPE = "extra_event_type", _("more than one event type")
        NUMBER_AS_TEXT = "number_as_text", _("number written as text")
        UNLINKED = "unlinked", _("place or organiser without a usable @id")
        AGE_RANGE = "age_range", _("age range that cannot be read")
        HTML_IN_TEXT = "html_in_text", _("HTML in plain text")
        INVALID_VALUE = "invalid_value", _("value that cannot be read")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="findings",
        db_index=False,  # the (event, opened_at) index serves
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("field"), max_length=200)
    value = models.JSONField(_("value as received"), null=True, blank=True)
    opened_at = models.DateTimeField(_("found"))
    closed_at = models.DateTimeField(
        _("closed"),
        null=True,
        blank=True,
        help_text=_("When a later version of the document no longer had this defect."),
    )

    class Meta:
        verbose_name = _("data finding")
        verbose_name_plural = _("data findings")
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["event", "opened_at"], name="events_finding_event"),
            # The findings queue and each re-import look for open findings only: few rows.
            models.Index(
                fields=["event"], condition=Q(closed_at__isnull=True), name="events_finding_open"
            ),
        ]

    def __str__(self):
        return f"{self.field}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def message(self) -> str:
        from events.findings import finding_message

        return finding_message(self.kind, self.field, self.value)
