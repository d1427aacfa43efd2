"""Publication channels (publiq platform integrations), their widget pages and how much they are
used. Usage is kept as counts per channel, page and day, never as raw events: a consultation
is a widget page view, kept apart from Search API requests.

`ChannelMonth` holds only what can be recomputed from the rows above it
(`channels.services.summaries` rewrites it nightly and after every import).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelType(models.TextChoices):
    WIDGETS = "widgets", _("widgets")
    SEARCH_API = "search-api", _("Search API")
    ENTRY_API = "entry-api", _("Entry API")
    UITPAS = "uitpas", _("UiTPAS API")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    BLOCKED = "blocked", _("blocked")
    DELETED = "deleted", _("deleted")
    PENDING_INTEGRATION = "pending_approval_integration", _("awaiting approval")
    PENDING_PAYMENT = "pending_approval_payment", _("awaiting payment")


class Party(models.TextChoices):
    FIRST = "first", _("first party")
    THIRD = "third", _("third party")


class Partner(models.Model):
    """The partner organisation that owns channels (publiq platform's Organization)."""

    id = models.UUIDField(primary_key=True)
    name = models.CharField(_("name"), max_length=255)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    zip_code = models.CharField(_("postal code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerMembership(models.Model):
    """A partner's user sees that partner's channels, and no other."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_partners",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("partner membership")
        verbose_name_plural = _("partner memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="channel_partner_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.partner}"


class Channel(models.Model):
    """A publiq platform Integration. Its credentials' secrets are never stored."""

    id = models.UUIDField(primary_key=True)
    type = models.CharField(_("type"), max_length=20, choices=ChannelType.choices)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=40, choices=Status.choices)
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    website = models.URLField(_("website"), max_length=500, blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="channels",
    )
    subscription = models.CharField(_("subscription"), max_length=100, blank=True)
    subscription_category = models.CharField(_("plan"), max_length=20, blank=True)
    subscription_price = models.DecimalField(
        _("price (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    key_visibility = models.CharField(_("key generation"), max_length=5, blank=True)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]

    def __str__(self):
        return self.name


class KeyKind(models.TextChoices):
    CLIENT_ID = "client_id", _("client id")
    API_KEY = "api_key", _("API key (legacy)")


class ChannelKey(models.Model):
    """A client id or legacy API key of a channel in one environment: what identifies its
    Search API requests. Only the public identifiers; their secrets never reach us."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(_("kind"), max_length=10, choices=KeyKind.choices)
    environment = models.CharField(_("environment"), max_length=10)

    class Meta:
        verbose_name = _("channel key")
        verbose_name_plural = _("channel keys")

    def __str__(self):
        return f"{self.kind} {self.environment}: {self.key}"


class StatusChange(models.Model):
    """A channel's status from `day` on, as an import first saw it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="status_changes")
    day = models.DateField(_("from"))
    status = models.CharField(_("status"), max_length=40, choices=Status.choices)
    previous = models.CharField(_("previous status"), max_length=40, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["channel", "day"], name="status_change_channel_day")]

    def __str__(self):
        return f"{self.channel_id} {self.status} from {self.day}"


class WidgetPage(models.Model):
    """A page of a widgets channel (projectaanvraag's widget page); its id is in the Snowplow
    widget context, which is how an event finds its channel."""

    id = models.CharField(primary_key=True, max_length=64)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="pages")
    title = models.CharField(_("title"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    last_updated = models.DateTimeField(_("last updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("widget page")
        verbose_name_plural = _("widget pages")

    def __str__(self):
        return self.title or self.id


class _Usage(models.Model):
    views = models.BigIntegerField(default=0)  # consultations
    impressions = models.BigIntegerField(default=0)  # teaser impressions
    clicks = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class WidgetDay(_Usage):
    """A widget page's events on a (local) day."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(WidgetPage, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="widget_day_once")]
        indexes = [models.Index(fields=["channel", "day"], name="widget_day_channel")]

    def __str__(self):
        return f"{self.page_id} {self.day}"


class UnknownWidgetDay(_Usage):
    """Events whose widget context names a page no channel has: counted, reported apart."""

    page_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255)  # the consumer name the context gave
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_id", "day"], name="unknown_widget_day_once")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day}"


class EventViews(models.Model):
    """How often a channel's event pages showed an event (UiTdatabank id) in a month."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    event_id = models.CharField(max_length=64)
    views = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "month", "event_id"], name="event_views_once"
            )
        ]

    def __str__(self):
        return f"{self.channel_id} {self.month} {self.event_id}"


class ImportedFile(models.Model):
    """The ledger of Snowplow files: a file's content, once imported, is never counted again."""

    content_hash = models.CharField(max_length=32, unique=True)  # xxh3-128 of the bytes
    name = models.CharField(max_length=500)
    size = models.BigIntegerField()
    events = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class ApiUsage(models.Model):
    """Search API requests of one client id or API key on a day, as the gateway counted them."""

    day = models.DateField()
    key = models.CharField(max_length=255)
    channel = models.ForeignKey(Channel, null=True, on_delete=models.SET_NULL, related_name="+")
    requests = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="api_usage_once")]
        indexes = [models.Index(fields=["channel", "day"], name="api_usage_channel")]

    def __str__(self):
        return f"{self.key} {self.day}"


class ChannelMonth(models.Model):
    """A channel's month: its usage and whether it was registered and alive at the month's
    end (and so new or lost). Rewritten from the rows above, never edited."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()
    views = models.BigIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    requests = models.BigIntegerField(default=0)
    registered = models.BooleanField(default=False)
    alive = models.BooleanField(default=False)
    new = models.BooleanField(default=False)
    lost = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="channel_month_once")
        ]
        indexes = [models.Index(fields=["month"], name="channel_month_month")]

    def __str__(self):
        return f"{self.channel_id} {self.month}"
