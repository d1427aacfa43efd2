"""The family-offer rule as data (versions, exactly one active), and each event's
classification by it. A version that was ever active is never edited again: classifications
name the version they were made with.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FamilyRule(models.Model):
    # The version number is the key: a classification row stores it as is (no join to explain
    # which version made it), and the JSON export and the pages speak of "version 3".
    version = models.PositiveIntegerField(_("version"), primary_key=True)
    is_active = models.BooleanField(_("active"), default=False, editable=False)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What changed in this version, and why.")
    )
    threshold = models.PositiveSmallIntegerField(
        _("threshold"), default=3, help_text=_("Points from which an event is family offer.")
    )
    keyword_points = models.PositiveSmallIntegerField(
        _("points per keyword"), default=1, help_text=_("Each distinct keyword counts once.")
    )
    min_age_points = models.PositiveSmallIntegerField(_("minimum-age points"), default=2)
    min_age_max = models.PositiveSmallIntegerField(
        _("highest minimum age that earns them"),
        default=12,
        help_text=_("A minimum age above 0 and at most this earns the minimum-age points."),
    )
    max_age_points = models.PositiveSmallIntegerField(_("maximum-age points"), default=3)
    max_age_max = models.PositiveSmallIntegerField(
        _("highest maximum age that earns them"),
        default=12,
        help_text=_("A maximum age of at most this earns the maximum-age points."),
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    excluded_event_types = models.JSONField(_("excluded event types"), default=list, blank=True)
    excluded_themes = models.JSONField(_("excluded themes"), default=list, blank=True)
    excluded_keywords = models.JSONField(_("excluded keywords"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    activated_at = models.DateTimeField(_("first activated"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("family-offer rule")
        verbose_name_plural = _("family-offer rules")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="family_familyrule_one_active",
            )
        ]

    def __str__(self):
        return _("family-offer rule, version %(version)s") % {"version": self.version}

    @property
    def is_draft(self) -> bool:
        """Never active so far: the only state in which a version may still be edited."""
        return self.activated_at is None


class FamilyClassification(models.Model):
    """What the rule said about one event: written only when the result changed.

    `excluded_by` names the exclusion that removed the label ("event type 0.6.0.0.0",
    "theme 1.37.0.0.0", "keyword opvoed"); empty when none did (also when the points stayed
    below the threshold, so there was no label to remove).
    """

    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="family_classification",
    )
    # No foreign-key constraint: the classification writes a million rows in one go, and a
    # version referenced here is never deleted (the admin refuses, PROTECT guards the ORM).
    rule = models.ForeignKey(
        FamilyRule,
        verbose_name=_("rule version"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    label = models.BooleanField(_("family offer (automatic)"))
    points = models.PositiveSmallIntegerField(_("points"))
    matched_keywords = models.JSONField(_("keywords found"), default=list)
    min_age_points = models.PositiveSmallIntegerField(_("minimum-age points"), default=0)
    max_age_points = models.PositiveSmallIntegerField(_("maximum-age points"), default=0)
    excluded_by = models.CharField(_("excluded by"), max_length=120, blank=True)
    # The learned model's verdict, where a model version was active (else null): its score
    # (log-odds, rounded so that an unchanged event compares equal) and its label.
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    score = models.FloatField(_("model score"), null=True, blank=True)
    model_label = models.BooleanField(_("family offer (model)"), null=True, blank=True)
    classified_at = models.DateTimeField(_("classified"))

    class Meta:
        verbose_name = _("family-offer classification")
        verbose_name_plural = _("family-offer classifications")
        indexes = [
            # The family queue's feeder looks for the labelled events, a minority.
            models.Index(fields=["event"], condition=Q(label=True), name="family_label_true")
        ]

    def __str__(self):
        return f"{self.event_id}: {self.label}"


class FamilyModel(models.Model):
    """A learned family-offer model: its weights as data (feature names, idf, coefficients:
    JSON arrays, never a pickle), its threshold and its cross-validated figures. Exactly one
    version is active at most; none active: the rule labels alone."""

    version = models.PositiveIntegerField(_("version"), primary_key=True)
    is_active = models.BooleanField(_("active"), default=False, editable=False)
    trained_at = models.DateTimeField(_("trained"))
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trained by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    examples = models.PositiveIntegerField(_("training examples"))
    family_examples = models.PositiveIntegerField(_("family examples"))
    rule_version = models.PositiveIntegerField(_("rule version of the signals"))
    min_precision = models.FloatField(_("precision floor"))
    threshold = models.FloatField(_("threshold"))
    intercept = models.FloatField(_("intercept"))
    features = models.JSONField(_("feature names"), default=list)
    idf = models.JSONField(_("idf per feature"), default=list)
    coefficients = models.JSONField(_("weight per feature"), default=list)
    # {"rule": {...}, "model": {...}, "threshold": ..., "curve": [...]}: out-of-fold figures
    figures = models.JSONField(_("cross-validated figures"), default=dict)
    activated_at = models.DateTimeField(_("first activated"), null=True, blank=True)

    class Meta:
        verbose_name = _("family-offer model")
        verbose_name_plural = _("family-offer models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="family_familymodel_one_active",
            )
        ]

    def __str__(self):
        return _("family-offer model, version %(version)s") % {"version": self.version}

    @property
    def recall(self) -> float:
        return self.figures.get("model", {}).get("recall", 0.0)
