"""The channels come from publiq platform (import_channels): read-only here. Administrators
grant and revoke partner memberships, as they do museum memberships."""

from django.contrib import admin

from channels.models import Channel, Partner, PartnerMembership
from channels.services.memberships import partner_membership_grant, partner_membership_revoke
from core.admin import ReadOnlyAdmin
from dashboards.admin import MembershipAdmin


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(MembershipAdmin):
    """Partner users and their organisations: they see that organisation's channels only."""

    target = "partner"
    grant = staticmethod(partner_membership_grant)
    revoke = staticmethod(partner_membership_revoke)
    list_display = ("user", "partner")
    list_select_related = ("user", "partner")
    search_fields = ("user__username", "user__email", "partner__name")
    autocomplete_fields = ("user", "partner")
    fields = ("user", "partner")


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name", "municipality"]


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "status", "party", "partner"]
    list_filter = ["type", "status", "party"]
    list_select_related = ["partner"]
    search_fields = ["name", "partner__name"]
