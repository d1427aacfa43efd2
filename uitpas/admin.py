from django.contrib import admin

from uitpas.models import CardSystem, Municipality, PartnerMembership, ProfileCutoff


@admin.register(ProfileCutoff)
class ProfileCutoffAdmin(admin.ModelAdmin):
    """Staff edit the profiles' cut-offs here; the next summary rebuild is not needed: the
    pages apply them when they read (the summaries keep participations, not profiles)."""

    list_display = ("name", "minimum")
    list_editable = ("minimum",)
    fields = ("name", "minimum")


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "card_system", "municipality")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "card_system", "municipality")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "nis_code", "province", "size_class", "card_system", "uitpas_since")
    search_fields = ("name", "nis_code")
    list_select_related = ("card_system",)


@admin.register(CardSystem)
class CardSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "id")
    search_fields = ("name",)
