"""The channels come from publiq platform (import_channels): read-only here, except who belongs
to which partner organisation."""

from django.contrib import admin

from channels.models import Channel, Partner, PartnerMembership


class MembershipInline(admin.TabularInline):
    model = PartnerMembership
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name", "municipality"]
    readonly_fields = ["id", "name", "municipality", "zip_code"]
    inlines = [MembershipInline]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "status", "party", "partner"]
    list_filter = ["type", "status", "party"]
    list_select_related = ["partner"]
    search_fields = ["name", "partner__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
