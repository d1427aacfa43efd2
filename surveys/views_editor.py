"""The survey managers' editor: surveys with their questions, campaigns, previews, test mail."""

from smtplib import SMTPException

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core.roles import SURVEY_MANAGER, role_required
from surveys import selectors
from surveys.forms import CampaignEditorForm, SurveyForm
from surveys.forms_editor import QuestionFormSet, SurveyEditForm
from surveys.models import LANGUAGES, Campaign, Survey
from surveys.services.editor import (
    SurveyLocked,
    campaign_save,
    campaign_test_mail_send,
    invitation_preview,
    survey_has_answers,
    survey_save,
)

# The previews' frames: only the editor's own pages may frame them.
framed_here = csp_replace({"frame-ancestors": ["'self'"]})


def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise Http404
    return code


@role_required(SURVEY_MANAGER)
def survey_edit(request, pk=None):
    survey = get_object_or_404(Survey, pk=pk) if pk else Survey()
    form = SurveyEditForm(request.POST or None, instance=survey)
    questions = QuestionFormSet(request.POST or None, instance=survey, prefix="questions")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        try:
            survey = survey_save(
                survey=form.save(commit=False), questions=questions.drafts(), actor=request.user
            )
        except SurveyLocked as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys:survey-edit", pk=survey.pk)
    context = {
        "survey": survey,
        "form": form,
        "questions": questions,
        "has_answers": survey_has_answers(survey),
        "languages": LANGUAGES,
    }
    # Reached after a POST only when something was refused.
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/editor/survey.html", context, status=status)


@role_required(SURVEY_MANAGER)
def survey_preview(request, pk, language):
    """The form as a holder sees it, in a phone-wide frame (or full width)."""
    survey = get_object_or_404(Survey, pk=pk)
    context = {
        "survey": survey,
        "language": _language(language),
        "languages": LANGUAGES,
        "phone": request.GET.get("width") != "full",
    }
    return render(request, "surveys/editor/preview.html", context)


@xframe_options_sameorigin
@framed_here
@role_required(SURVEY_MANAGER)
def survey_preview_page(request, pk, language):
    """The holder's page itself, shown in the preview's frame."""
    survey = get_object_or_404(Survey, pk=pk)
    language = _language(language)
    with translation.override(language):
        holder_page = render_to_string(
            "surveys/public/form.html",
            {
                "form": SurveyForm(survey=survey, language=language),
                "survey_title": survey.title(language),
                "survey_intro": survey.intro(language),
                "language": language,
                "museum": _("Your museum"),
                "visit_date": timezone.localdate(),
            },
        )
    return HttpResponse(holder_page)


@role_required(SURVEY_MANAGER)
def campaign_edit(request, pk=None):
    campaign = get_object_or_404(Campaign, pk=pk) if pk else Campaign()
    form = CampaignEditorForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = campaign_save(
            campaign=form.save(commit=False),
            museums=list(form.cleaned_data["museums"]),
            actor=request.user,
        )
        messages.success(request, _("The campaign was saved."))
        return redirect("surveys:campaign-edit", pk=campaign.pk)
    context = {
        "campaign": campaign,
        "form": form,
        "languages": LANGUAGES,
        "reach": selectors.campaign_reach_table(campaign, now=timezone.now())
        if campaign.pk
        else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/editor/campaign.html", context, status=status)


@role_required(SURVEY_MANAGER)
def mail_preview(request, pk, language):
    campaign = get_object_or_404(Campaign.objects.select_related("survey"), pk=pk)
    language = _language(language)
    message = invitation_preview(campaign, language=language, email=request.user.email)
    context = {"campaign": campaign, "language": language, "languages": LANGUAGES}
    context["message"] = message
    return render(request, "surveys/editor/mail_preview.html", context)


@xframe_options_sameorigin
@framed_here
@role_required(SURVEY_MANAGER)
def mail_preview_html(request, pk, language):
    """The mail's HTML part, shown in the mail preview's frame."""
    campaign = get_object_or_404(Campaign.objects.select_related("survey"), pk=pk)
    message = invitation_preview(campaign, language=_language(language), email=request.user.email)
    return HttpResponse(message.alternatives[0][0])


@require_POST
@role_required(SURVEY_MANAGER)
def test_mail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("survey"), pk=pk)
    language = request.POST.get("language")
    if language not in LANGUAGES:
        messages.error(request, _("Choose a language for the test mail."))
    elif not request.user.email:
        messages.error(request, _("Your account has no e-mail address to send the test to."))
    else:
        try:
            campaign_test_mail_send(campaign=campaign, language=language, actor=request.user)
        except (SMTPException, OSError) as error:
            text = _("The test mail could not be sent: %(error)s") % {"error": error}
            messages.error(request, text)
        else:
            messages.success(
                request,
                _("A test mail in %(language)s was sent to %(email)s.")
                % {"language": language.upper(), "email": request.user.email},
            )
    return redirect("surveys:campaign-edit", pk=campaign.pk)
