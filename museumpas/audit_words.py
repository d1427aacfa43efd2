"""The Museumpas actions in words, for the audit admin."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "museumpas.api_token_issued": _("issued an API token"),
    "museumpas.api_token_revoked": _("revoked an API token"),
    "museumpas.holder_erased": _("erased a pass holder's personal data"),
}
