from django.db import models
from django.utils.translation import gettext_lazy as _

from museumpas.validators import validate_no_control_characters


class Region(models.TextChoices):
    FLANDERS = "flanders", _("Flanders")
    BRUSSELS = "brussels", _("Brussels")
    WALLONIA = "wallonia", _("Wallonia")
    OTHER = "other", _("Outside Belgium or unknown")


class SizeClass(models.TextChoices):
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class SalesChannel(models.TextChoices):
    ONLINE = "online", _("online")
    MUSEUM = "museum", _("at a museum")
    PARTNER = "partner", _("through a partner")


class Museum(models.Model):
    external_id = models.CharField(_("id"), max_length=64, unique=True)
    # A name goes into mail subjects: a line break there would stop the mail.
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_control_characters])
    city = models.CharField(
        _("city"), max_length=100, blank=True, validators=[validate_no_control_characters]
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    region = models.CharField(_("region"), max_length=10, choices=Region.choices)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    uitdatabank_place_id = models.UUIDField(_("UiTdatabank place id"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("museum")
        verbose_name_plural = _("museums")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Holder(models.Model):
    """A pass holder. Surveys go to `email` in `language`; `region` follows from `postcode`.

    Erasing a holder (services.holder_erase) keeps language, region and birth year, which the
    aggregates need, and removes everything that identifies the person.
    """

    external_id = models.CharField(_("pass holder id"), max_length=64, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    region = models.CharField(
        _("region"), max_length=10, choices=Region.choices, default=Region.OTHER
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created = models.DateField(_("created"), null=True, blank=True)
    # A permanent SMTP refusal (5xx) for this address: no more mail until the address changes.
    email_bounced_at = models.DateTimeField(_("e-mail bounced"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("pass holder")
        verbose_name_plural = _("pass holders")

    def __str__(self):
        return self.external_id


class Pass(models.Model):
    external_id = models.CharField(_("id"), max_length=64, unique=True)
    holder = models.ForeignKey(
        Holder, verbose_name=_("pass holder"), on_delete=models.PROTECT, related_name="passes"
    )
    card_number = models.CharField(_("card number"), max_length=32, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    channel = models.CharField(_("sales channel"), max_length=10, choices=SalesChannel.choices)
    sold_by = models.ForeignKey(
        Museum,
        verbose_name=_("sold by museum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passes_sold",
    )
    is_renewal = models.BooleanField(_("renewal"), default=False)
    price = models.DecimalField(_("price"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        indexes = [models.Index(fields=["holder", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="pass_valid_until_after_valid_from",
            )
        ]

    def __str__(self):
        return self.card_number or self.external_id


class Visit(models.Model):
    external_id = models.CharField(_("id"), max_length=64, unique=True)
    holder = models.ForeignKey(
        Holder, verbose_name=_("pass holder"), on_delete=models.PROTECT, related_name="visits"
    )
    museum = models.ForeignKey(
        Museum, verbose_name=_("museum"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("visited at"))
    # The `id` a museum's client sent with the visits API, unique per museum: another museum's
    # id is just a new id here, so the API cannot tell which ids exist elsewhere.
    client_id = models.CharField(
        _("client's id"), max_length=64, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["museum", "client_id"],
                condition=~models.Q(client_id=""),
                name="visit_client_id_unique_per_museum",
            )
        ]
        indexes = [
            models.Index(fields=["visited_at"]),
            models.Index(fields=["museum", "visited_at"]),
            # "First visit to this museum or returning" looks up earlier visits by this index.
            models.Index(fields=["holder", "museum", "visited_at"]),
        ]

    def __str__(self):
        return f"{self.holder_id} @ {self.museum_id} {self.visited_at:%Y-%m-%d}"


class MuseumApiToken(models.Model):
    """A museum's key for the visits API. Only its SHA-256 is stored; the key is shown once."""

    museum = models.ForeignKey(
        Museum, verbose_name=_("museum"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("museum API token")
        verbose_name_plural = _("museum API tokens")

    def __str__(self):
        return f"{self.museum} {self.prefix}…"
