from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from museumpas.models import Holder, Museum, Visit

LANGUAGES = ("nl", "fr", "en")


class Survey(models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("For staff; never shown."))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def title(self, language: str) -> str:
        return getattr(self, f"title_{language}")

    def intro(self, language: str) -> str:
        return getattr(self, f"intro_{language}")


class QuestionKind(models.TextChoices):
    NPS = "nps", _("NPS (0-10)")
    RATING = "rating", _("rating (1-5)")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TEXT = "text", _("free text")


NUMERIC_KINDS = (QuestionKind.NPS, QuestionKind.RATING)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALES = {QuestionKind.NPS: (0, 10), QuestionKind.RATING: (1, 5)}


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    text_nl = models.CharField(_("question (Dutch)"), max_length=500)
    text_fr = models.CharField(_("question (French)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500)
    # [{"key": "friends", "nl": "...", "fr": "...", "en": "..."}, ...]; the key is what answers
    # store, so a label can be corrected without touching the answers.
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self):  # in the reader's language, falling back to Dutch
        return self.text(get_language() or "nl") or self.text_nl

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language[:2]}", "") or ""

    def choice_labels(self, language: str) -> list[tuple[str, str]]:
        return [(choice["key"], choice[language]) for choice in self.choices]


class VisitorKind(models.TextChoices):
    ALL = "all", _("first and returning visitors")
    FIRST = "first", _("first visit to this museum")
    RETURNING = "returning", _("returning to this museum")


class PassKind(models.TextChoices):
    ALL = "all", _("new and renewed passes")
    NEW = "new", _("new pass")
    RENEWAL = "renewal", _("renewed pass")


class Campaign(models.Model):
    """Who gets which survey and when. Empty segment lists mean: everyone."""

    name = models.CharField(_("name"), max_length=200)
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="campaigns"
    )
    active = models.BooleanField(_("active"), default=False)
    visits_from = models.DateField(_("visits from"))
    visits_until = models.DateField(_("visits until"))
    all_museums = models.BooleanField(_("all museums"), default=True)
    museums = models.ManyToManyField(
        Museum, verbose_name=_("museums"), blank=True, related_name="campaigns"
    )
    send_delay_days = models.PositiveSmallIntegerField(_("days after the visit"), default=1)
    # Visits older than the delay plus this many days are never invited: after downtime the
    # dispatch does not mail about visits from long ago.
    send_window_days = models.PositiveSmallIntegerField(
        _("invite until this many days after the delay"), default=7
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("sample (%)"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    age_groups = models.JSONField(_("age groups"), default=list, blank=True)
    regions = models.JSONField(_("holder regions"), default=list, blank=True)
    visitor_kind = models.CharField(
        _("visitors"), max_length=10, choices=VisitorKind.choices, default=VisitorKind.ALL
    )
    pass_kind = models.CharField(
        _("passes"), max_length=10, choices=PassKind.choices, default=PassKind.ALL
    )
    holder_cap_days = models.PositiveSmallIntegerField(
        _("ask one holder at most once per (days)"), default=90
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"), null=True, blank=True, help_text=_("Empty: no reminder.")
    )
    link_valid_days = models.PositiveSmallIntegerField(_("link valid for (days)"), default=30)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-visits_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visits_until__gte=models.F("visits_from")),
                name="campaign_window_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(sample_percent__gte=1, sample_percent__lte=100),
                name="campaign_sample_percent_range",
            ),
        ]

    def __str__(self):
        return self.name


class InvitationState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    RESPONDED = "responded", _("responded")
    EXPIRED = "expired", _("expired")
    OPTED_OUT = "opted_out", _("opted out")


class Invitation(models.Model):
    """One invitation to one holder about one visit: the ledger of its sending.

    The state moves only by compare-and-set (services.sending). The link's token is never
    stored: only the SHA-256 of the token in the mail and of the one in the reminder.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="invitations"
    )
    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="invitation"
    )
    # Copies of the visit's holder and museum: the cap and the funnel query them directly.
    holder = models.ForeignKey(
        Holder, verbose_name=_("pass holder"), on_delete=models.PROTECT, related_name="+"
    )
    museum = models.ForeignKey(
        Museum, verbose_name=_("museum"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # NULL, not "": no link yet; the unique constraints below skip NULLs.
    token_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    reminder_token_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    reminder_claimed_at = models.DateTimeField(_("reminder sending since"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    finished_at = models.DateTimeField(_("failed, expired or opted out"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        # The visit is unique on its own (one invitation per visit, whatever the campaign),
        # which makes (campaign, visit) unique too. Indexes are partial where they can be: every
        # mail sent updates its row, and a row enters only the indexes whose condition it meets.
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=models.Q(token_hash__isnull=False),
                name="invitation_token_hash_unique",
            ),
            models.UniqueConstraint(
                fields=["reminder_token_hash"],
                condition=models.Q(reminder_token_hash__isnull=False),
                name="invitation_reminder_token_hash_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["holder", "created_at"]),
            models.Index(fields=["campaign", "state"]),
            models.Index(
                fields=["state", "queued_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="invitation_to_send",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.visit_id} {self.state}"


class OptOut(models.Model):
    """A holder's wish: no more surveys about one museum, or (museum empty) none at all."""

    holder = models.ForeignKey(
        Holder, verbose_name=_("pass holder"), on_delete=models.CASCADE, related_name="opt_outs"
    )
    museum = models.ForeignKey(
        Museum, verbose_name=_("museum"), null=True, blank=True, on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["holder", "museum"], name="opt_out_per_museum"),
            models.UniqueConstraint(
                fields=["holder"],
                condition=models.Q(museum=None),
                name="opt_out_of_all_once",
            ),
        ]

    def __str__(self):
        return f"{self.holder_id}: {self.museum or _('all museums')}"


class Response(models.Model):
    """One submitted survey, without the holder's identity.

    It carries what the dashboards filter on (museum, month of the visit, the holder's age
    group, language and region) so nobody but an administrator needs the link to the
    invitation, and erasing a holder cuts that link while every figure stays.
    """

    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT)
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT)
    museum = models.ForeignKey(
        Museum, verbose_name=_("museum"), on_delete=models.PROTECT, related_name="responses"
    )
    visit_month = models.DateField(_("month of the visit"))
    language = models.CharField(_("language"), max_length=2)
    age_group = models.CharField(_("age group"), max_length=10)
    region = models.CharField(_("holder region"), max_length=10)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["museum", "visit_month"]),
            models.Index(fields=["campaign", "id"]),
        ]

    def __str__(self):
        return f"{self.pk} ({self.museum_id}, {self.visit_month:%Y-%m})"


class Answer(models.Model):
    """One row per answered question: `number` for NPS and rating, `choice_keys` for choices."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT)
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    choice_keys = models.JSONField(_("choices"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_per_question")
        ]
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"
