from django.contrib import admin

from dashboards.models import MuseumMembership
from dashboards.services.memberships import museum_membership_grant, museum_membership_revoke


@admin.register(MuseumMembership)
class MuseumMembershipAdmin(admin.ModelAdmin):
    """Museum users and their museums. A membership is granted or revoked, never edited."""

    list_display = ("user", "museum", "created_at")
    list_filter = ("museum__region",)
    list_select_related = ("user", "museum")
    search_fields = ("user__username", "user__email", "museum__name")
    autocomplete_fields = ("user", "museum")
    fields = ("user", "museum")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        membership = museum_membership_grant(user=obj.user, museum=obj.museum, actor=request.user)
        obj.pk = membership.pk

    def delete_model(self, request, obj):
        museum_membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "museum"):
            museum_membership_revoke(membership=membership, actor=request.user)
