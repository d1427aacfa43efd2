from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ConfigAdmin
from core.services import audit_record
from surveys.forms import CampaignForm, SurveyForm, choices_to_text, text_to_choices
from surveys.models import (
    CHOICE_KINDS,
    LANGUAGES,
    Answer,
    Campaign,
    Invitation,
    OptOut,
    Question,
    Response,
    Survey,
)
from surveys.services.sending import invitations_retry_failed


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Choice questions: one choice per line, as key | Dutch | French | English."),
    )

    class Meta:
        model = Question
        fields = ("position", "kind", "required", "text_nl", "text_fr", "text_en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices_text"].initial = choices_to_text(self.instance.choices or [])

    def clean(self):
        cleaned = super().clean()
        choices = text_to_choices(cleaned.get("choices_text", ""))
        if cleaned.get("kind") in CHOICE_KINDS and len(choices) < 2:
            self.add_error("choices_text", _("A choice question needs at least two choices."))
        if cleaned.get("kind") not in CHOICE_KINDS and choices:
            self.add_error("choices_text", _("Only choice questions have choices."))
        self.instance.choices = choices
        return cleaned


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0
    ordering = ("position", "pk")


@admin.register(Survey)
class SurveyAdmin(ConfigAdmin):
    list_display = ("name", "title_nl", "question_count", "preview_links")
    search_fields = ("name", "title_nl", "title_fr", "title_en")
    inlines = [QuestionInline]
    readonly_fields = ("preview_links",)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_total")
    def question_count(self, survey):
        return survey.question_total

    @admin.display(description=_("preview"))
    def preview_links(self, survey):
        if not survey.pk:
            return "-"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:surveys_survey_preview", args=[survey.pk, code]), code.upper())
                for code in LANGUAGES
            ),
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/<str:language>/", preview, name="surveys_survey_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, language):
        survey = get_object_or_404(Survey, pk=pk)
        if language not in LANGUAGES or not self.has_view_permission(request, survey):
            language = LANGUAGES[0]
        with translation.override(language):
            # A preview validates like the real form and never stores anything.
            form = SurveyForm(request.POST or None, survey=survey, language=language)
            if form.is_bound:
                form.is_valid()
            context = {
                **self.admin_site.each_context(request),
                "survey": survey,
                "form": form,
                "language": language,
                "languages": LANGUAGES,
                "survey_title": survey.title(language),
                "survey_intro": survey.intro(language),
                "opts": self.model._meta,
                "title": _("Preview: %(survey)s") % {"survey": survey},
            }
            # Rendered inside the language override, not later by the response middleware.
            return TemplateResponse(request, "surveys/admin/preview.html", context).render()


@admin.register(Campaign)
class CampaignAdmin(ConfigAdmin):
    form = CampaignForm
    list_display = ("name", "survey", "active", "visits_from", "visits_until", "sample_percent")
    list_filter = ("active", "survey")
    list_select_related = ("survey",)
    search_fields = ("name",)
    filter_horizontal = ("museums",)
    fieldsets = (
        (None, {"fields": ("name", "survey", "active")}),
        (_("Which visits"), {"fields": ("visits_from", "visits_until", "all_museums", "museums")}),
        (
            _("Segments"),
            {"fields": ("languages", "age_groups", "regions", "visitor_kind", "pass_kind")},
        ),
        (
            _("Sending"),
            {
                "fields": (
                    "send_delay_days",
                    "send_window_days",
                    "sample_percent",
                    "holder_cap_days",
                    "reminder_after_days",
                    "link_valid_days",
                )
            },
        ),
    )


class HolderLinkAdmin(admin.ModelAdmin):
    """The admin of a model that leads to a pass holder (docs/surveys.md, Privacy).

    Survey managers never see, filter or search by `holder_fields`: not in lists, change pages
    or `?field=` lookups, so no response can be tied to a holder. Administrators see them, and
    each request of theirs that crosses `audited_fields` (the response-invitation link) leaves
    an audit row.
    """

    holder_fields: tuple[str, ...] = ()
    audited_fields: tuple[str, ...] = ()

    def _field_name(self, lookup: str) -> str:
        first = lookup.split(LOOKUP_SEP)[0]
        try:  # `invitation_id` names the field `invitation`
            return self.model._meta.get_field(first).name
        except FieldDoesNotExist:
            return first

    def lookup_allowed(self, lookup, value, request=None):
        if self._field_name(lookup) in self.holder_fields and not _sees_holders(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _visible(self, request, names):
        if _sees_holders(request):
            return names
        return [name for name in names if name not in self.holder_fields]

    def get_fields(self, request, obj=None):
        return self._visible(request, super().get_fields(request, obj))

    def get_list_display(self, request):
        return self._visible(request, super().get_list_display(request))

    def changelist_view(self, request, extra_context=None):
        crossing = {
            key: value
            for key, value in request.GET.items()
            if self._field_name(key) in self.audited_fields
        }
        if crossing and _sees_holders(request):
            _audit_link(request, new_values={"filter": crossing})
        return super().changelist_view(request, extra_context)


def _sees_holders(request) -> bool:
    return request is not None and request.user.is_superuser


def _audit_link(request, *, object_id: str = "", new_values: dict | None = None) -> None:
    audit_record(
        actor=request.user,
        action="surveys.response_link_viewed",
        object_type="surveys.response",
        object_id=object_id,
        new_values=new_values,
    )


@admin.register(Invitation)
class InvitationAdmin(HolderLinkAdmin):
    holder_fields = ("holder", "visit", "response")
    audited_fields = ("response",)
    list_display = ("pk", "campaign", "museum", "state", "attempts", "sent_at", "short_error")
    list_filter = ("state", "campaign")
    list_select_related = ("campaign", "museum")
    search_fields = ("=pk",)
    show_full_result_count = False
    actions = ["send_again"]
    exclude = ("token_hash", "reminder_token_hash")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, invitation):
        return invitation.last_error[:80]

    @admin.action(description=_("Send again (failed invitations)"), permissions=["change"])
    def send_again(self, request, queryset):
        count = invitations_retry_failed(
            invitation_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation queued again", "%(count)d invitations queued again", count
            )
            % {"count": count},
        )


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ("question", "number", "choice_keys", "text")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(HolderLinkAdmin):
    # The link to the invitation (and so to the holder) is for administrators only.
    holder_fields = ("invitation", "invitation_link")
    audited_fields = ("invitation",)
    list_display = ("pk", "campaign", "museum", "visit_month", "language", "age_group", "region")
    list_filter = ("campaign", "language", "age_group", "region")
    list_select_related = ("campaign", "museum")
    show_full_result_count = False
    inlines = [AnswerInline]
    fields = readonly_fields = ("survey", *list_display[1:], "invitation_link")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if _sees_holders(request):
            _audit_link(request, object_id=str(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("invitation"))
    def invitation_link(self, response):
        if response.invitation_id is None:
            return _("none (holder erased)")
        url = reverse("admin:surveys_invitation_change", args=[response.invitation_id])
        return format_html('<a href="{}">#{}</a>', url, response.invitation_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OptOut)
class OptOutAdmin(HolderLinkAdmin):
    holder_fields = ("holder",)
    list_display = ("holder", "museum", "created_at")
    list_select_related = ("holder", "museum")
    raw_id_fields = ("holder",)
    show_full_result_count = False

    def get_list_display_links(self, request, list_display):
        # Its page's title would name the holder (OptOut.__str__): survey managers see the list.
        return (
            super().get_list_display_links(request, list_display)
            if _sees_holders(request)
            else None
        )

    def has_view_permission(self, request, obj=None):
        if obj is not None and not _sees_holders(request):
            return False
        return super().has_view_permission(request, obj)
