from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ConfigAdmin
from museumpas.models import Holder, Museum, MuseumApiToken, Pass, Visit
from museumpas.services import museum_api_token_issue, museum_api_token_revoke


@admin.register(Museum)
class MuseumAdmin(ConfigAdmin):
    list_display = ("name", "city", "region", "size_class", "external_id", "active")
    list_filter = ("region", "size_class", "active")
    search_fields = ("name", "city", "external_id")
    actions = ["issue_api_token"]

    @admin.action(description=_("Issue a new API token"), permissions=["change"])
    def issue_api_token(self, request, queryset):
        for museum in queryset:
            _token, key = museum_api_token_issue(museum=museum, actor=request.user)
            self.message_user(
                request,
                _("API key for %(museum)s (shown once, copy it now): %(key)s")
                % {"museum": museum, "key": key},
                messages.WARNING,
            )


@admin.register(MuseumApiToken)
class MuseumApiTokenAdmin(admin.ModelAdmin):
    list_display = ("museum", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("museum",)
    readonly_fields = ("museum", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at=None).select_related("museum"))
        for token in tokens:
            museum_api_token_revoke(token=token, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked", "%(count)d tokens revoked", len(tokens))
            % {"count": len(tokens)},
        )


@admin.register(Holder)
class HolderAdmin(admin.ModelAdmin):
    list_display = ("external_id", "language", "region", "birth_year", "created", "erased_at")
    list_filter = ("language", "region")
    search_fields = ("=external_id", "=email")
    show_full_result_count = False


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin):
    list_display = ("external_id", "holder", "valid_from", "valid_until", "channel", "is_renewal")
    list_filter = ("channel", "is_renewal")
    list_select_related = ("holder",)
    search_fields = ("=external_id", "=card_number", "=holder__external_id")
    raw_id_fields = ("holder", "sold_by")
    show_full_result_count = False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("external_id", "museum", "holder", "visited_at")
    list_select_related = ("museum", "holder")
    list_filter = ("museum__region",)
    search_fields = ("=external_id", "=holder__external_id")
    raw_id_fields = ("holder", "museum")
    date_hierarchy = "visited_at"
    show_full_result_count = False
