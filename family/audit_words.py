"""The family actions in words, for the audit admin."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "family_rule.created": _("created a family rule version"),
    "family_rule.changed": _("changed a family rule version"),
    "family_rule.activated": _("activated a family rule version"),
}
