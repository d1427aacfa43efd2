"""The holder's pages at /s/<token>/: no login, in the invitation's language, one response."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from surveys.forms import SurveyForm
from surveys.models import LANGUAGES
from surveys.public import public_page
from surveys.services import responses
from surveys.services.opt_outs import (
    ALL,
    MUSEUM,
    holder_opted_out,
    invitation_for_unsubscribe_token,
    opt_out_record,
    opt_out_withdraw,
)


def _lookup_rate(group, request):
    return settings.SURVEYS_RATE_LOOKUPS


def _submit_rate(group, request):
    return settings.SURVEYS_RATE_SUBMITS


def _language(request, invitation) -> str:
    asked = request.POST.get("lang") or request.GET.get("lang")
    return asked if asked in LANGUAGES else invitation.language


def _render(request, template, context, *, language, status=200):
    with translation.override(language):
        return render(request, template, {**context, "language": language}, status=status)


def _not_found(request):
    return render(request, "surveys/public/not_found.html", status=404)


def _limited(request):
    return render(request, "surveys/public/rate_limited.html", status=429)


def _context(invitation, language):
    survey = invitation.campaign.survey
    return {
        "invitation": invitation,
        "museum": invitation.museum.name,
        "visit_date": timezone.localtime(invitation.visit.visited_at).date(),
        "survey_title": survey.title(language),
        "survey_intro": survey.intro(language),
        "languages": LANGUAGES,
    }


# Only the redirect after the submit that stored the answers carries it: every other visit of
# an answered link (a second tab, the mail opened again) says "already answered".
THANKS = "stored"

STATE_PAGES = {
    responses.EXPIRED: ("surveys/public/expired.html", 410),
    responses.OPTED_OUT: ("surveys/public/opted_out.html", 200),
}


def _answered(request, context, *, language):
    if request.method == "POST":
        # This page's answers were not stored: 409, the link is answered already.
        template, status = "surveys/public/already_answered.html", 409
    elif request.GET.get(THANKS) == "1":
        template, status = "surveys/public/answered.html", 200
    else:
        template, status = "surveys/public/already_answered.html", 200
    context = {**context, "not_stored": request.method == "POST"}
    return _render(request, template, context, language=language, status=status)


def _closed(request, reason, context, *, language):
    if reason == responses.ANSWERED:
        return _answered(request, context, language=language)
    template, status = STATE_PAGES.get(reason, ("surveys/public/not_found.html", 404))
    return _render(request, template, context, language=language, status=status)


@public_page
# No CSRF check: a forged cross-site POST would need the link's token, which is the secret here;
# and under Referrer-Policy: no-referrer browsers send "Origin: null", which Django refuses.
@csrf_exempt
@ratelimit(key="ip", group="surveys:lookup", rate=_lookup_rate, method=ratelimit.ALL, block=False)
@ratelimit(key="ip", group="surveys:submit", rate=_submit_rate, method="POST", block=False)
def survey_form(request, token):
    if getattr(request, "limited", False):
        return _limited(request)
    invitation = responses.invitation_for_token(token)
    if invitation is None:
        return _not_found(request)
    language = _language(request, invitation)
    state = responses.link_state(invitation)
    if state == responses.UNAVAILABLE:
        return _not_found(request)
    context = _context(invitation, language)
    if state == responses.ANSWERED:
        return _answered(request, context, language=language)
    if state in STATE_PAGES:
        template, status = STATE_PAGES[state]
        return _render(request, template, context, language=language, status=status)
    survey = invitation.campaign.survey
    with translation.override(language):
        form = SurveyForm(
            request.POST if request.method == "POST" else None, survey=survey, language=language
        )
        if request.method == "POST" and form.is_valid():
            try:
                responses.response_submit(invitation=invitation, answers=form.answers())
            except responses.SurveyClosed as closed:
                # A second tab, or a simultaneous submit, lost: say so, never "thank you".
                return _closed(request, closed.reason, context, language=language)
            url = reverse("surveys_public:form", args=[token])
            return redirect(f"{url}?lang={language}&{THANKS}=1")
    return _render(
        request, "surveys/public/form.html", {**context, "form": form}, language=language
    )


def _unsubscribe_link(request, token):
    """(invitation, language, context) of an unsubscribe link, or the page that refuses it."""
    if getattr(request, "limited", False):
        return _limited(request)
    invitation = invitation_for_unsubscribe_token(token)
    if invitation is None:
        return _not_found(request)
    language = _language(request, invitation)
    return invitation, language, {**_context(invitation, language), "unsubscribe_token": token}


@public_page
@csrf_exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token: the link is the key
@ratelimit(key="ip", group="surveys:lookup", rate=_lookup_rate, method=ratelimit.ALL, block=False)
def unsubscribe(request, token):
    # `token` is the unsubscribe link's own: mail providers follow this link, so it must not be
    # the token that answers the survey (surveys.services.tokens).
    found = _unsubscribe_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation, language, context = found
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        scope = ALL if one_click else request.POST.get("scope")
        if scope in (ALL, MUSEUM):
            opt_out_record(invitation=invitation, scope=scope, unsubscribe_token=token)
            return _render(
                request,
                "surveys/public/unsubscribed.html",
                {**context, "scope": scope},
                language=language,
            )
    context["opted_out"] = holder_opted_out(invitation=invitation)
    return _render(request, "surveys/public/unsubscribe.html", context, language=language)


@public_page
@csrf_exempt  # the link is the key, as for the unsubscribe link whose token it shares
@ratelimit(key="ip", group="surveys:lookup", rate=_lookup_rate, method=ratelimit.ALL, block=False)
def resubscribe(request, token):
    # The unsubscribe link's token (mail providers follow links): GET only shows the button,
    # the one click is a POST, so that no crawler subscribes a holder again.
    found = _unsubscribe_link(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation, language, context = found
    if request.method == "POST":
        opt_out_withdraw(invitation=invitation)
        invitation.refresh_from_db(fields=["state"])
        context["survey_open"] = responses.link_state(invitation) == responses.OPEN
        return _render(request, "surveys/public/resubscribed.html", context, language=language)
    return _render(request, "surveys/public/resubscribe.html", context, language=language)
