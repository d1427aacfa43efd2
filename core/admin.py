from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from core.audit_words import action_words, changes_words, entry_model, related_names
from core.models import AuditEntry, User
from core.services import (
    audit_record,
    config_delete,
    config_formset_save,
    config_save,
    config_update,
)


class LinesListField(forms.CharField):
    """A JSON list edited as one value per line, instead of as JSON text."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(map(str, value)) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class ConfigAdmin(admin.ModelAdmin):
    """The admin of configuration: every save and delete goes through core.services, which
    writes the audit row with the old and new values."""

    def save_model(self, request, obj, form, change):
        config_save(form=form, actor=request.user)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # config_save saved the many-to-many fields already
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        config_formset_save(formset=formset, actor=request.user)

    def delete_model(self, request, obj):
        config_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            config_delete(instance=obj, actor=request.user)


@admin.register(User)
class UserAdmin(ConfigAdmin, DjangoUserAdmin):
    """Users and their roles are configuration: audited, the password never written there."""

    list_display = ("username", "email", "first_name", "last_name", "is_staff", "roles")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():  # the new password and its audit row together
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                audit_record(actor=request.user, action="core.user_password_set", target=user)
        return response


class AuditChangeList(ChangeList):
    """Reads the names of the objects a page of audit rows refers to, one query per model."""

    def get_results(self, request):
        super().get_results(request)
        entries = list(self.result_list)
        names = related_names(entries)
        for entry in entries:
            entry.related_names = names
        self.result_list = entries


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows and never writes (the data has another source or is a record)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "what", "object_display", "changes", "note")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action", "note")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ("created_at", "actor", "what", "object_display", "changes", "note")
    readonly_fields = fields

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    @admin.display(description=_("what was done"), ordering="action")
    def what(self, entry):
        return action_words(entry)

    @admin.display(description=_("object"), ordering="object_type")
    def object_display(self, entry):
        model = entry_model(entry)
        label = model._meta.verbose_name if model else entry.object_type
        return f"{label} {entry.object_id}".strip()

    @admin.display(description=_("changes"))
    def changes(self, entry):
        names = getattr(entry, "related_names", None)
        return changes_words(entry, names=related_names([entry]) if names is None else names)


# Roles and beat schedules are configuration: the stock admins, saving through the audited
# services, and the schedule switches too.
class PeriodicTaskAdmin(ConfigAdmin, beat_admin.PeriodicTaskAdmin):
    @admin.action(description=_("Enable selected tasks"))
    def enable_tasks(self, request, queryset):
        done = ngettext_lazy("%(count)d task enabled", "%(count)d tasks enabled", "count")
        self._switch(request, queryset, lambda task: {"enabled": True}, done)

    @admin.action(description=_("Disable selected tasks"))
    def disable_tasks(self, request, queryset):
        done = ngettext_lazy("%(count)d task disabled", "%(count)d tasks disabled", "count")
        self._switch(request, queryset, lambda task: {"enabled": False, "last_run_at": None}, done)

    @admin.action(description=_("Toggle activity of selected tasks"))
    def toggle_tasks(self, request, queryset):
        done = ngettext_lazy("%(count)d task switched", "%(count)d tasks switched", "count")
        self._switch(request, queryset, lambda task: {"enabled": not task.enabled}, done)

    @admin.action(description=_("Run selected tasks"))
    def run_tasks(self, request, queryset):
        # django-celery-beat builds its message from English parts; ours replaces it.
        request.periodic_tasks_run = queryset.count()
        super().run_tasks(request, queryset)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        count = getattr(request, "periodic_tasks_run", None)
        if count is not None and level == messages.INFO:
            message = ngettext(
                "%(count)d task sent to the worker", "%(count)d tasks sent to the worker", count
            ) % {"count": count}
        super().message_user(request, message, level, *args, **kwargs)

    def _switch(self, request, queryset, values_of, done):
        tasks = list(queryset)
        for task in tasks:
            config_update(instance=task, values=values_of(task), actor=request.user)
        self.message_user(request, done % {"count": len(tasks)})


for model, stock_admin in (
    (Group, DjangoGroupAdmin),
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, type(stock_admin.__name__, (ConfigAdmin, stock_admin), {}))
admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
