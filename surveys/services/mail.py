"""The invitation e-mail: plain text and HTML in the holder's language, one-click unsubscribe."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from surveys.models import Invitation


def survey_url(token: str) -> str:
    return settings.SITE_URL + reverse("surveys_public:form", args=[token])


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("surveys_public:unsubscribe", args=[token])


def invitation_message(
    invitation: Invitation, *, token: str, reminder: bool = False
) -> EmailMultiAlternatives:
    with translation.override(invitation.language):
        context = {
            "museum": invitation.museum.name,
            "visit_date": timezone.localtime(invitation.visit.visited_at).date(),
            "survey_title": invitation.campaign.survey.title(invitation.language),
            "survey_url": survey_url(token),
            "unsubscribe_url": unsubscribe_url(token),
            "valid_days": invitation.campaign.link_valid_days,
            "reminder": reminder,
            "language": invitation.language,
        }
        if reminder:
            subject = _("Reminder: how was your visit to %(museum)s?") % context
        else:
            subject = _("How was your visit to %(museum)s?") % context
        text = render_to_string("surveys/mail/invitation.txt", context)
        html = render_to_string("surveys/mail/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.holder.email],
        headers={
            # RFC 8058: mail clients unsubscribe with one POST, without opening a page.
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
