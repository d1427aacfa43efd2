"""Learned family-offer model versions in the admin: listed with their cross-validated figures,
read-only (`family_model train` makes them; the weights are not shown). Activating is an
action, through family.services.model, with its audit row."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from family.models import FamilyModel
from family.services.model import family_model_activate


@admin.register(FamilyModel)
class FamilyModelAdmin(admin.ModelAdmin):
    list_display = (
        "version",
        "is_active",
        "trained_at",
        "trained_by",
        "examples",
        "precision",
        "recall",
        "rule_recall",
        "threshold",
    )
    fields = (
        "version",
        "is_active",
        "trained_at",
        "trained_by",
        "examples",
        "family_examples",
        "rule_version",
        "min_precision",
        "threshold",
        "figures",
        "activated_at",
    )
    readonly_fields = fields
    actions = ("activate",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("features", "idf", "coefficients")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("precision"))
    def precision(self, model):
        return model.figures.get("model", {}).get("precision")

    @admin.display(description=_("recall"))
    def recall(self, model):
        return model.figures.get("model", {}).get("recall")

    @admin.display(description=_("rule's recall"))
    def rule_recall(self, model):
        return model.figures.get("rule", {}).get("recall")

    @admin.action(description=_("Activate the selected version"), permissions=["change"])
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version."), messages.ERROR)
            return
        model = queryset.get()
        family_model_activate(model=model, actor=request.user)
        message = _("Model version %(version)s is active; the events are being classified.")
        self.message_user(request, message % {"version": model.version}, messages.SUCCESS)
