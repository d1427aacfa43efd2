from django.shortcuts import get_object_or_404, render
from django.utils import translation

from core.exports import CSV, XLSX, csv_stream, xlsx_attachment
from core.roles import SURVEY_MANAGER, role_required
from surveys import selectors
from surveys.exports import response_rows
from surveys.models import Campaign


@role_required(SURVEY_MANAGER)
def overview(request):
    campaigns = list(selectors.campaigns_with_funnel())
    for campaign in campaigns:
        campaign.response_rate = selectors.response_rate(campaign)
    context = {"campaigns": campaigns, "surveys": selectors.surveys_with_question_count()}
    return render(request, "surveys/overview.html", context)


@role_required(SURVEY_MANAGER)
def campaign_detail(request, pk):
    get_object_or_404(Campaign, pk=pk)
    campaign = selectors.campaign_funnel(pk)
    failures = selectors.campaign_failures(campaign)
    return render(
        request, "surveys/campaign_detail.html", {"campaign": campaign, "failures": failures}
    )


@role_required(SURVEY_MANAGER)
def campaign_responses(request, pk, kind=CSV):
    campaign = get_object_or_404(Campaign.objects.select_related("survey"), pk=pk)
    rows = response_rows(campaign, language=translation.get_language())
    # Comments and museum names come from outside: written through the one writer that
    # neutralises formulas (core.exports).
    stem = f"campaign-{campaign.pk}-responses"
    if kind == XLSX:
        return xlsx_attachment(f"{stem}.xlsx", rows, title=campaign.name)
    return csv_stream(f"{stem}.csv", rows)
