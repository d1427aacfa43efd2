"""Review queues in the admin: queues editable, tasks with bulk actions that call the same
services as the task page and report counts, decisions and URL checks read-only, and the
audit trail of an event (shown on the event's page, see events.admin)."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.admin import ConfigAdmin, LinesListField
from core.audit_words import action_words, values_words
from curation.audit_words import changes_words
from curation.forms import AssignForm
from curation.models import Decision, EventCuration, Queue, QueueKind, Task, TaskState, UrlCheck
from curation.selectors import event_audit_trail, event_curated_values
from curation.services.decisions import task_decide
from curation.services.queues import TaskNotHeld, task_assign, task_release


@admin.register(Queue)
class QueueAdmin(ConfigAdmin):
    list_display = ("name", "kind", "slug", "is_active", "open_tasks", "order", "sample_rate")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.JSONField: {"form_class": LinesListField}}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "description", "is_active", "order")}),
        (
            _("Which events"),
            {
                "fields": (
                    "event_types",
                    "themes",
                    "labels",
                    "place_labels",
                    "organizers",
                    "attendance_modes",
                    "workflow_statuses",
                    "calendar_types",
                    "cities",
                    ("starts_from", "starts_until"),
                    "looks_virtual",
                    "keywords",
                    "unconfirmed_days",
                    "sample_rate",
                    "repeat_after_days",
                )
            },
        ),
    )

    def get_queryset(self, request):
        open_tasks = Count("tasks", filter=Q(tasks__state=TaskState.OPEN))
        return super().get_queryset(request).annotate(open_count=open_tasks)

    @admin.display(description=_("open tasks"), ordering="open_count")
    def open_tasks(self, queue):
        return queue.open_count


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(Task)
class TaskAdmin(_ReadOnly):
    list_display = ("id", "event_name", "queue", "state", "claimed_by", "lease_until", "closed_at")
    list_filter = ("queue", "state")
    list_select_related = ("queue", "event", "claimed_by")
    search_fields = ("=id", "event__udb_id", "event__name_text")
    raw_id_fields = ("event",)
    readonly_fields = [field.name for field in Task._meta.fields]
    show_full_result_count = False
    actions = ("confirm_selected", "assign_to_curator", "release_claims")
    # Its actions change tasks (through the services), so they need the change permission.
    has_change_permission = admin.ModelAdmin.has_change_permission

    def get_queryset(self, request):
        return super().get_queryset(request).defer("event__document", "event__description")

    @admin.display(description=_("event"), ordering="event__name_text")
    def event_name(self, task):
        return task.event.name_text

    @admin.action(description=_("Confirm selected: still on"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        counts = {"confirmed": 0, "held": 0, "closed": 0, "other": 0}
        for task in queryset.select_related("queue"):
            if task.queue.kind != QueueKind.CONFIRM:
                counts["other"] += 1
                continue
            try:
                task_decide(task=task, curator=request.user, values={"confirmation": "still_on"})
                counts["confirmed"] += 1
            except TaskNotHeld as refusal:
                counts["held" if refusal.reason in ("held", "expired") else "closed"] += 1
        self.message_user(request, *_summary(counts, "confirmed"))

    @admin.action(description=_("Assign to a curator"), permissions=["change"])
    def assign_to_curator(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "curation/admin/assign_tasks.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Assign tasks to a curator"),
                    "form": form,
                    "tasks": queryset,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        curator = form.cleaned_data["curator"]
        counts = {"assigned": 0, "held": 0}
        for task in queryset:
            assigned = task_assign(task=task, curator=curator, actor=request.user)
            counts["assigned" if assigned else "held"] += 1
        self.message_user(request, *_summary(counts, "assigned"))
        return None

    @admin.action(description=_("Release claims"), permissions=["change"])
    def release_claims(self, request, queryset):
        counts = {"released": 0, "not_claimed": 0}
        for task in queryset:
            try:
                task_release(task=task, curator=request.user, force=True)
                counts["released"] += 1
            except TaskNotHeld:
                counts["not_claimed"] += 1
        self.message_user(request, *_summary(counts, "released"))


# Each count of an action's report; ngettext_lazy picks the plural form from "n".
_PHRASES = {
    "confirmed": ngettext_lazy("%(n)d confirmed", "%(n)d confirmed", "n"),
    "assigned": ngettext_lazy("%(n)d assigned", "%(n)d assigned", "n"),
    "released": ngettext_lazy("%(n)d released", "%(n)d released", "n"),
    "held": ngettext_lazy("%(n)d held by someone else", "%(n)d held by someone else", "n"),
    "closed": ngettext_lazy("%(n)d already closed", "%(n)d already closed", "n"),
    "other": ngettext_lazy("%(n)d not a confirmation task", "%(n)d not confirmation tasks", "n"),
    "not_claimed": ngettext_lazy("%(n)d not claimed", "%(n)d not claimed", "n"),
}


def _summary(counts: dict[str, int], success_key: str) -> tuple[str, int]:
    """ "3 confirmed, 1 held by someone else", a success only when all went as asked."""
    parts = [_PHRASES[key] % {"n": count} for key, count in counts.items() if count]
    level = messages.SUCCESS if counts[success_key] == sum(counts.values()) else messages.WARNING
    return ", ".join(parts) or str(_("Nothing to do.")), level


@admin.register(Decision)
class DecisionAdmin(_ReadOnly):
    list_display = ("decided_at", "queue_kind", "outcome", "event", "curator", "seconds")
    exclude = ("values", "previous")
    readonly_fields = ("values_display", "previous_display")
    list_filter = ("queue_kind", "outcome")
    list_select_related = ("event", "curator")
    search_fields = ("event__udb_id", "event__name_text", "curator__username")
    date_hierarchy = "decided_at"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("event__document", "event__description")

    @admin.display(description=_("values"))
    def values_display(self, decision):
        return values_words(decision.values, (EventCuration, Decision))

    @admin.display(description=_("curated values before"))
    def previous_display(self, decision):
        return values_words(decision.previous, (EventCuration, Decision))


@admin.register(UrlCheck)
class UrlCheckAdmin(_ReadOnly):
    list_display = ("checked_at", "url", "ok", "status_code", "redirects", "error")
    list_filter = ("ok",)
    search_fields = ("url",)
    show_full_result_count = False


def audit_trail_html(event) -> str:
    """The event's audit trail as a table, in words, for the admin and the event page."""
    entries = [
        (entry, action_words(entry), changes_words(entry)) for entry in event_audit_trail(event.pk)
    ]
    return render_to_string("curation/admin/audit_trail.html", {"entries": entries})


def curated_values_html(event) -> str:
    """What curators decided about the event, kind by kind, with who and when."""
    values = event_curated_values(event.pk)
    return render_to_string("curation/admin/curated_values.html", {"values": values})
