from django.contrib import admin

from dashboards.models import MuseumMembership
from dashboards.services.memberships import museum_membership_grant, museum_membership_revoke


class MembershipAdmin(admin.ModelAdmin):
    """A membership is granted or revoked, never edited; `grant` and `revoke` are the
    services that do it with their audit rows, `target` the field the user is a member of."""

    target = "museum"
    grant = staticmethod(museum_membership_grant)
    revoke = staticmethod(museum_membership_revoke)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        target = {self.target: getattr(obj, self.target)}
        membership = self.grant(user=obj.user, **target, actor=request.user)
        obj.pk = membership.pk

    def delete_model(self, request, obj):
        self.revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", self.target):
            self.revoke(membership=membership, actor=request.user)


@admin.register(MuseumMembership)
class MuseumMembershipAdmin(MembershipAdmin):
    """Museum users and their museums."""

    list_display = ("user", "museum", "created_at")
    list_filter = ("museum__region",)
    list_select_related = ("user", "museum")
    search_fields = ("user__username", "user__email", "museum__name")
    autocomplete_fields = ("user", "museum")
    fields = ("user", "museum")
