"""The survey actions in words, for the audit admin."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "surveys.dispatched": _("sent survey invitations"),
    "surveys.failed_invitations_retried": _("retried failed invitations"),
    "surveys.survey_created": _("created a survey"),
    "surveys.survey_changed": _("changed a survey"),
    "surveys.campaign_created": _("created a campaign"),
    "surveys.campaign_changed": _("changed a campaign"),
    "surveys.test_mail_sent": _("sent a test mail"),
    "surveys.opted_out": _("unsubscribed from surveys"),
    "surveys.resubscribed": _("subscribed to surveys again"),
    "surveys.response_link_viewed": _("viewed a response's link"),
}
