"""The dashboard actions in words, for the audit admin."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "dashboards.membership_granted": _("granted a museum membership"),
    "dashboards.membership_revoked": _("revoked a museum membership"),
}
