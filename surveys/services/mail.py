"""The invitation e-mail: plain text and HTML in the holder's language, one-click unsubscribe;
and the one mail that confirms an opt-out, with the way back."""

import secrets
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from surveys.models import Invitation
from surveys.services.tokens import unsubscribe_token

# The bodies are rendered once per language and survey with these markers, which each message
# then replaces: rendering two templates per message was a third of a worker's time.
_MARKERS = ("museum", "visit_date", "survey_url", "unsubscribe_url")


def _marker(name: str) -> str:
    return f"\x1f{name}\x1f"


_TOKEN_SLOT = "TOKENSLOT"


@lru_cache(maxsize=8)
def _url_pattern(site_url: str, url_name: str) -> str:
    # reverse() per message cost more than the rest of the link; the pattern is reversed once.
    return site_url + reverse(url_name, args=[_TOKEN_SLOT])


def _link(url_name: str, token: str) -> str:
    return _url_pattern(settings.SITE_URL, url_name).replace(_TOKEN_SLOT, token)


@lru_cache(maxsize=256)
def _bodies(language: str, reminder: bool, survey_title: str, valid_days: int) -> tuple[str, str]:
    with translation.override(language):
        context = {
            **{name: _marker(name) for name in _MARKERS},
            "survey_title": survey_title,
            "valid_days": valid_days,
            "reminder": reminder,
            "language": language,
        }
        return (
            render_to_string("surveys/mail/invitation.txt", context),
            render_to_string("surveys/mail/invitation.html", context),
        )


def _fill(body: str, values: dict[str, str], *, html: bool) -> str:
    for name, value in values.items():
        body = body.replace(_marker(name), escape(value) if html else value)
    return body


class _InvitationMessage(EmailMultiAlternatives):
    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        # Python's e-mail generator otherwise picks a boundary and compiles a regular expression
        # per message to check that the body does not contain it: a tenth of a mail's time in a
        # sending worker. 128 random bits cannot collide with a body we wrote.
        message.set_boundary(f"=_publiq_{secrets.token_hex(16)}")
        return message


def invitation_message(
    invitation: Invitation, *, token: str, reminder: bool = False
) -> EmailMultiAlternatives:
    language = invitation.language
    text, html = _bodies(
        language,
        reminder,
        invitation.campaign.survey.title(language),
        invitation.campaign.link_valid_days,
    )
    with translation.override(language):
        visit_date = timezone.localtime(invitation.visit.visited_at).date()
        values = {
            "museum": invitation.museum.name,
            "visit_date": formats.date_format(visit_date, "DATE_FORMAT"),
            "survey_url": _link("surveys_public:form", token),
            # The unsubscribe link carries a token of its own (surveys.services.tokens).
            "unsubscribe_url": _link("surveys_public:unsubscribe", unsubscribe_token(token)),
        }
        if reminder:
            subject = _("Reminder: how was your visit to %(museum)s?") % values
        else:
            subject = _("How was your visit to %(museum)s?") % values
    message = _InvitationMessage(
        subject=subject,
        body=_fill(text, values, html=False),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.holder.email],
        headers={
            # RFC 8058: mail clients unsubscribe with one POST, without opening a page.
            "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(_fill(html, values, html=True), "text/html")
    return message


def opt_out_message(invitation: Invitation, *, unsubscribe_token: str, scope: str) -> EmailMessage:
    """`unsubscribe_token`: the link the holder used; its resubscribe page shares the token."""
    with translation.override(invitation.language):
        context = {
            "museum": invitation.museum.name,
            "scope": scope,
            "resubscribe_url": _link("surveys_public:resubscribe", unsubscribe_token),
        }
        body = render_to_string("surveys/mail/opted_out.txt", context)
        subject = _("You are unsubscribed")
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.holder.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
