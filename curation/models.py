"""Review queues: queues, their tasks, the decisions curators take and the curated values.

Curated values live beside the event row, never in it, so a re-import cannot overwrite them.
Claims, leases and compare-and-set transitions: see curation.services.queues.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _list(verbose_name, help_text=""):
    """A filter field of the queue: a JSON list of values, any of which matches."""
    return models.JSONField(verbose_name, default=list, blank=True, help_text=help_text)


def _user(verbose_name=None):
    """Who claimed, closed or decided: kept when the user goes, never indexed (each claim and
    decision rewrites the row: no index it does not need)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )


def _event(related_name: str, **options):
    """The event a row is about: it goes with the event."""
    return models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name=related_name,
        **options,
    )


class QueueKind(models.TextChoices):
    CONFIRM = "confirm", _("confirm")
    VIRTUAL = "virtual", _("virtual offer")
    FAMILY = "family", _("family offer")
    QUALITY = "quality", _("quality control")
    MODERATION = "moderation", _("moderation")
    FINDINGS = "findings", _("data findings")


class QueueOrder(models.TextChoices):
    START = "start", _("soonest start first")
    CREATED = "created", _("oldest in UiTdatabank first")
    MODIFIED = "-modified", _("most recently modified first")
    IMPORTED = "imported", _("first imported first")


class Queue(models.Model):
    """A named slice of events with one kind of decision.

    The filter fields are combined with AND; the values within one field with OR. An empty
    field does not filter. What the filter selects is then handed to the kind's feeder
    (curation.services.feeders), which may narrow it further.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=QueueKind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The filter over events.
    event_types = _list(_("event types"), _("Term ids, e.g. 0.50.6.0.0."))
    themes = _list(_("themes"), _("Term ids."))
    labels = _list(_("event labels"), _("Labels of the event itself."))
    place_labels = _list(
        _("place labels"), _("Labels of the event's location, e.g. museumPASSmusees.")
    )
    organizers = _list(_("organisers"), _("UiTdatabank organiser ids."))
    attendance_modes = _list(_("attendance modes"))
    workflow_statuses = _list(_("workflow statuses"))
    calendar_types = _list(_("calendar types"))
    cities = _list(_("cities"))
    starts_from = models.DateField(
        _("takes place from"), null=True, blank=True, help_text=_("Events that end on or after.")
    )
    starts_until = models.DateField(
        _("takes place until"),
        null=True,
        blank=True,
        help_text=_("Events that start on or before."),
    )
    looks_virtual = models.BooleanField(
        _("looks virtual"),
        default=False,
        help_text=_(
            "Only online and mixed events, events with an online URL, and events whose name "
            "or description holds one of the keywords."
        ),
    )
    keywords = _list(
        _("keywords"), _("Words looked for in the name and description (any of them).")
    )
    unconfirmed_days = models.PositiveIntegerField(
        _("not confirmed for (days)"),
        null=True,
        blank=True,
        help_text=_("Only events that no curator confirmed in this many days."),
    )
    sample_rate = models.DecimalField(
        _("sample rate"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("A share between 0 and 1 of the matching events; empty: all of them."),
    )
    order = models.CharField(
        _("order"), max_length=12, choices=QueueOrder.choices, default=QueueOrder.START
    )
    repeat_after_days = models.PositiveIntegerField(
        _("review again after (days)"),
        null=True,
        blank=True,
        help_text=_(
            "An event whose task was closed this long ago may get a new task; empty: never."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_rate__isnull=True) | Q(sample_rate__gt=0, sample_rate__lte=1),
                name="curation_queue_sample_rate",
            )
        ]

    def __str__(self):
        return self.name


class TaskState(models.TextChoices):
    OPEN = "open", _("open")
    CLAIMED = "claimed", _("claimed")
    DECIDED = "decided", _("decided")
    SKIPPED = "skipped", _("skipped")


# Open and claimed tasks are the live part of a queue: the claim index and the "one task per
# event while open" rule cover only them.
LIVE_STATES = (TaskState.OPEN, TaskState.CLAIMED)


class Task(models.Model):
    """One event to review in one queue."""

    # Indexes are chosen in Meta: every claim and decision rewrites the row in each index.
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,
    )
    event = _event("tasks", db_index=False)
    state = models.CharField(
        _("state"), max_length=8, choices=TaskState.choices, default=TaskState.OPEN
    )
    # The queue's order, computed when the task is made: the claim query walks one index.
    position = models.BigIntegerField(_("position"), default=0)
    claimed_by = _user(_("claimed by"))
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    closed_by = _user(_("closed by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    skip_reason = models.TextField(_("reason for skipping"), blank=True)
    # The curator chose to keep the claim ("keep for later", an assignment): it stays theirs
    # when they leave the queue and shows in "my tasks". Any other claim ends when they leave.
    kept = models.BooleanField(_("kept"), default=False, db_default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "event"],
                condition=Q(state__in=LIVE_STATES),
                name="curation_task_one_live_per_event",
            ),
            models.CheckConstraint(
                condition=~Q(state=TaskState.CLAIMED)
                | Q(claimed_by__isnull=False, lease_until__isnull=False),
                name="curation_task_claim_has_lease",
            ),
        ]
        indexes = [
            # The claim query: the first live task of a queue in the queue's order.
            models.Index(
                fields=["queue", "position", "id"],
                condition=Q(state__in=LIVE_STATES),
                name="curation_task_claim",
            ),
            # "My tasks": what a curator holds.
            models.Index(
                fields=["claimed_by", "queue"],
                condition=Q(state=TaskState.CLAIMED),
                name="curation_task_held",
            ),
            # Tasks of an event (the event's audit trail, "closed lately" in task generation).
            models.Index(fields=["event", "queue"], name="curation_task_event"),
            # Counts per queue and state (the overview), read from the index alone.
            models.Index(
                fields=["queue", "state"], include=["lease_until"], name="curation_task_state"
            ),
        ]

    def __str__(self):
        return f"{self.queue} #{self.pk}"


class TaskSetAside(models.Model):
    """A task a curator passed, skipped or stopped at: the claim does not hand it to them again
    until `until` (CURATION_SET_ASIDE_HOURS) or until they log out."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", db_index=False)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("task set aside")
        verbose_name_plural = _("tasks set aside")
        constraints = [
            models.UniqueConstraint(fields=["task", "curator"], name="curation_setaside_once"),
        ]

    def __str__(self):
        return f"{self.task_id} / {self.curator_id}"


class Decision(models.Model):
    """What a curator decided on a task. A task's newest row is what stands: an amendment or an
    undo is a new row (`action`), never an edit, so the export and the audit keep every step.
    Deciding twice is impossible: a decision closes its task with a compare-and-set.

    `values` holds the decision form's values; `outcome` a short code for lists and exports
    (still_on, cancelled, family, not_family, approved, rejected, live, ..., undone).
    `previous` holds the event's curated fields as they were before the first decision of the
    chain (what an undo restores).
    """

    class Action(models.TextChoices):
        DECIDED = "decided", _("decided")
        AMENDED = "amended", _("amended")
        UNDONE = "undone", _("undone")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="decisions"
    )
    action = models.CharField(
        _("action"), max_length=8, choices=Action.choices, default=Action.DECIDED
    )
    previous = models.JSONField(_("curated values before"), default=dict, blank=True)
    event = _event("decisions")
    queue_kind = models.CharField(_("queue kind"), max_length=12, choices=QueueKind.choices)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (curator, decided_at) index serves
    )
    outcome = models.CharField(_("decision"), max_length=40)
    values = models.JSONField(_("values"), default=dict)
    note = models.TextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided"), db_index=True)
    seconds = models.PositiveIntegerField(
        _("seconds taken"), null=True, blank=True, help_text=_("From the claim to the decision.")
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["curator", "decided_at"], name="curation_decision_curator")]

    def __str__(self):
        return f"{self.queue_kind}: {self.outcome}"


class Confirmation(models.TextChoices):
    STILL_ON = "still_on", _("still on")
    CANCELLED = "cancelled", _("cancelled")
    POSTPONED = "postponed", _("postponed")
    NEEDS_EDIT = "needs_edit", _("needs an edit")


class OfferKind(models.TextChoices):
    LIVE = "live", _("live offer of cultural houses")
    TEMPORARY = "temporary", _("temporary event offer")
    VIRTUAL_TOUR = "virtual_tour", _("virtual tour")
    LEARNING = "learning", _("learning offer")
    TAKE_AWAY = "take_away", _("take-away offer")
    OTHER = "other", _("other")
    # Out of the virtual offer: the virtual queue never takes the event again.
    NOT_VIRTUAL = "not_virtual", _("not virtual at all")


class UrlState(models.TextChoices):
    WORKS = "works", _("works")
    BROKEN = "broken", _("broken")
    MISSING = "missing", _("missing")


class LocationFit(models.TextChoices):
    FITS = "fits", _("fits")
    SHOULD_BE_ONLINE = "should_be_online", _("should be online")
    SHOULD_BE_PHYSICAL = "should_be_physical", _("should be physical")


class Moderation(models.TextChoices):
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class FindingsOutcome(models.TextChoices):
    FIXED = "fixed", _("fixed in UiTdatabank")
    REPORTED = "reported", _("reported to the organiser")
    NOT_A_DEFECT = "not_a_defect", _("not a defect")


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("duplicate")
    INAPPROPRIATE = "inappropriate", _("inappropriate")
    OTHER = "other", _("other")


QUALITY_ITEMS = (
    ("description", _("description")),
    ("image", _("image")),
    ("price", _("price")),
    ("age", _("age")),
    ("location", _("location")),
    ("dates", _("dates")),
)


class EventCuration(models.Model):
    """The curated values of an event: the latest decision of each kind, who took it and when.

    A row exists once a curator decided anything about the event. Curated values win over what
    UiTdatabank or a rule says (the family-offer issue reads `family` that way).
    """

    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="curation",
    )
    # confirm
    confirmation = models.CharField(
        _("confirmation"), max_length=12, choices=Confirmation.choices, blank=True
    )
    confirmation_note = models.TextField(_("confirmation note"), blank=True)
    confirmed_by = _user()
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # virtual offer
    offer_kind = models.CharField(
        _("kind of offer"), max_length=14, choices=OfferKind.choices, blank=True
    )
    url_state = models.CharField(_("URL"), max_length=8, choices=UrlState.choices, blank=True)
    corrected_url = models.URLField(_("corrected URL"), max_length=2000, blank=True)
    location_fit = models.CharField(
        _("location"), max_length=20, choices=LocationFit.choices, blank=True
    )
    virtual_checked_by = _user()
    virtual_checked_at = models.DateTimeField(_("virtual offer checked"), null=True, blank=True)
    # family offer: the curator's label, which wins over the rule's
    family = models.BooleanField(_("family offer (curated)"), null=True, blank=True)
    family_decided_by = _user()
    family_decided_at = models.DateTimeField(_("family offer decided"), null=True, blank=True)
    # quality control: {"description": "pass"|"fail", ...}
    quality = models.JSONField(_("quality checklist"), default=dict, blank=True)
    quality_note = models.TextField(_("quality note"), blank=True)
    quality_checked_by = _user()
    quality_checked_at = models.DateTimeField(_("quality checked"), null=True, blank=True)
    # moderation
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, blank=True
    )
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=14, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("rejection note"), blank=True)
    moderated_by = _user()
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    # data findings: what the curator did about the import's findings (they close themselves
    # when UiTdatabank serves a version without the defect)
    findings = models.CharField(
        _("data findings"), max_length=14, choices=FindingsOutcome.choices, blank=True
    )
    findings_note = models.TextField(_("data findings note"), blank=True)
    findings_checked_by = _user()
    findings_checked_at = models.DateTimeField(_("data findings checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("curated values")
        verbose_name_plural = _("curated values")
        indexes = [models.Index(fields=["confirmed_at"], name="curation_curation_confirmed")]

    def __str__(self):
        return str(self.event_id)


class UrlCheck(models.Model):
    """One check of an event's online URL: what the server answered, or why there was none."""

    event = _event("url_checks", db_index=False)  # the (event, checked_at) index serves
    url = models.TextField(_("URL"))
    checked_at = models.DateTimeField(_("checked"))
    ok = models.BooleanField(_("works"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    final_url = models.TextField(_("final URL"), blank=True)
    redirects = models.PositiveSmallIntegerField(_("redirects"), default=0)
    error = models.TextField(_("error"), blank=True)
    milliseconds = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("URL check")
        verbose_name_plural = _("URL checks")
        indexes = [models.Index(fields=["event", "-checked_at"], name="curation_urlcheck_event")]

    def __str__(self):
        return f"{self.url}: {self.status_code or self.error}"
