"""UiTPAS reporting data: regions and municipalities, and the holders' activity, minimised.

Raw records keep only what the figures need (docs/uitpas.md): a holder is an id, a birth year,
a postal code and a creation day; no name, INSZ number, e-mail, phone or street is stored.
Days are Europe/Brussels days, worked out once at import. Activity rows point at a holder by
id without a foreign key: check-ins may arrive before their holder does.
"""

from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models.functions import Cast, Random
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    SMALL = "small", _("under 10,000 inhabitants")
    MEDIUM = "medium", _("10,000 to 25,000")
    LARGE = "large", _("25,000 to 50,000")
    CITY = "city", _("50,000 to 100,000")
    BIG_CITY = "big_city", _("100,000 or more")


SIZE_LIMITS = ((10_000, SizeClass.SMALL), (25_000, SizeClass.MEDIUM), (50_000, SizeClass.LARGE))
SIZE_LIMITS += ((100_000, SizeClass.CITY),)


def size_class_for(inhabitants: int | None) -> str:
    if inhabitants is None:
        return ""
    return next((size for limit, size in SIZE_LIMITS if inhabitants < limit), SizeClass.BIG_CITY)


class CardSystem(models.Model):
    """A UiTPAS region ("UiTPAS Dender"), with the API's own id."""

    id = models.IntegerField(primary_key=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("card system")
        verbose_name_plural = _("card systems")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    nis_code = models.CharField(_("NIS code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=100, blank=True)
    uitpas_since = models.DateField(_("UiTPAS since"), null=True, blank=True)
    discount_share = models.DecimalField(
        _("share of the social-tariff discount paid"), max_digits=5, decimal_places=4, default=0
    )
    # From the latest population row (uitpas.services.imports keeps it in step).
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    card_system = models.ForeignKey(
        CardSystem,
        verbose_name=_("card system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipalities",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class PostalCode(models.Model):
    """A postal code and the municipality holding it (a municipality has its deelgemeenten)."""

    code = models.CharField(_("postal code"), max_length=10, primary_key=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postal_codes"
    )

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")

    def __str__(self):
        return self.code


class Population(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    people_in_poverty = models.PositiveIntegerField(_("people in poverty"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="uitpas_population_year")
        ]
        verbose_name = _("population")
        verbose_name_plural = _("population")

    def __str__(self):
        return f"{self.municipality_id} {self.year}"


class Passholder(models.Model):
    """A holder, minimised. The social tariff of all memberships is kept summed up here too
    (any ACTIVE, the latest end date): the figures ask only that."""

    id = models.UUIDField(primary_key=True)
    birth_year = models.PositiveSmallIntegerField(null=True)
    postal_code = models.CharField(max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, on_delete=models.SET_NULL, db_constraint=False, db_index=False
    )
    created_on = models.DateField()
    social_active = models.BooleanField(default=False)
    social_end = models.DateField(null=True)
    # Drawn by the database once, never shown: a count's noise is keyed on the sum of its
    # holders' keys, so the same holders always publish the same (uitpas.privacy).
    record_key = models.IntegerField(db_default=Cast(Random() * 2147483647, models.IntegerField()))

    class Meta:
        indexes = [models.Index(fields=["municipality", "created_on"], name="uitpas_holder_muni")]

    def __str__(self):
        return str(self.id)


class Membership(models.Model):
    """A holder's card-system membership with its social tariff (kansenstatuut)."""

    passholder = models.ForeignKey(Passholder, on_delete=models.CASCADE, related_name="memberships")
    card_system_id = models.IntegerField()  # the API's id; the region may not be imported yet
    social_tariff_status = models.CharField(max_length=10, blank=True)  # ACTIVE/EXPIRED/...
    social_tariff_end = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["passholder", "card_system_id"], name="uitpas_membership_once"
            )
        ]
        indexes = [models.Index(fields=["card_system_id"], name="uitpas_membership_cs")]

    def __str__(self):
        return f"{self.passholder_id} in {self.card_system_id}"


class Checkin(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    passholder_id = models.UUIDField()
    day = models.DateField()
    points = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["passholder_id", "day"], name="uitpas_checkin_holder")]

    def __str__(self):
        return self.id


class Redemption(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    passholder_id = models.UUIDField()
    day = models.DateField()
    points = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["passholder_id", "day"], name="uitpas_redemption_holder")]

    def __str__(self):
        return self.id


class TicketSale(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    passholder_id = models.UUIDField(null=True)  # empty for group passes
    day = models.DateField()
    tariff_type = models.CharField(max_length=20)
    price = models.DecimalField(max_digits=9, decimal_places=2)
    regular_price = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["passholder_id", "day"], name="uitpas_sale_holder")]

    def __str__(self):
        return self.id


class HolderMonth(models.Model):
    """Summary: one holder's activity in one month (rebuilt from the raw rows). Distinct
    holders over whole months first..last are counted in one pass without grouping by holder:
    a holder is counted on the row of the first month in the range they saved (redeemed,
    bought), the one whose `*_before` month is empty or before `first`. The holder's own
    fields are copied here so that counting needs no join."""

    passholder_id = models.UUIDField()
    municipality_id = models.CharField(max_length=5, null=True)  # noqa: DJ001 - None: outside
    created_on = models.DateField(null=True)
    social_active = models.BooleanField(default=False)
    social_end = models.DateField(null=True)
    record_key = models.IntegerField(default=0)
    month = models.DateField()
    # The holder's latest earlier month (None: none) with points saved, a redemption, a
    # SOCIALTARIFF ticket.
    saved_before = models.DateField(null=True)
    redeemed_before = models.DateField(null=True)
    social_bought_before = models.DateField(null=True)
    participations = models.IntegerField(default=0)  # check-ins + ticket sales
    points_saved = models.IntegerField(default=0)  # of check-ins with more than 0 points
    saved = models.BooleanField(default=False)
    redeemed = models.BooleanField(default=False)
    points_exchanged = models.IntegerField(default=0)
    social_tickets = models.IntegerField(default=0)
    social_discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["passholder_id", "month"], name="uitpas_holdermonth_once"
            )
        ]
        indexes = [
            models.Index(fields=["municipality_id", "month"], name="uitpas_hm_muni"),
            # Rows are written in month order: a range of months reads only its pages.
            BrinIndex(fields=["month"], name="uitpas_hm_month", autosummarize=True),
        ]

    def __str__(self):
        return f"{self.passholder_id} {self.month:%Y-%m}"


class PeriodFigures(models.Model):
    """Summary: a municipality's counts for a standard period (month, quarter, year, the 12
    months to a month's end), so that medians over all municipalities read 300 rows."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, db_constraint=False)
    first = models.DateField()
    last = models.DateField()
    counts = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first", "last", "municipality"], name="uitpas_period_once"
            )
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.first}..{self.last}"


class ProfileCutoff(models.Model):
    """A participation profile and the fewest participations in 12 months that reach it."""

    key = models.CharField(_("key"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    minimum = models.PositiveIntegerField(_("at least this many participations"))

    class Meta:
        ordering = ["minimum"]
        verbose_name = _("participation profile")
        verbose_name_plural = _("participation profiles")

    def __str__(self):
        return self.name


class PartnerMembership(models.Model):
    """A UiTPAS partner sees the municipalities of a card system, or one municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uitpas_memberships"
    )
    card_system = models.ForeignKey(CardSystem, null=True, blank=True, on_delete=models.CASCADE)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(card_system__isnull=True) ^ models.Q(municipality__isnull=True),
                name="uitpas_partner_one_scope",
            )
        ]
        verbose_name = _("UiTPAS partner membership")
        verbose_name_plural = _("UiTPAS partner memberships")

    def __str__(self):
        return f"{self.user_id}: {self.card_system_id or self.municipality_id}"


class ProfileFigures(models.Model):
    """Summary: a municipality's holders at a quarter's end, as rows of
    [age group, social tariff, participations in the 12 months to the quarter's end,
    the same the quarter before (None: not a holder yet), holders, their record keys' sum]."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, db_constraint=False)
    quarter = models.DateField()  # its first day
    rows = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quarter", "municipality"], name="uitpas_profiles_once")
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.quarter}"
