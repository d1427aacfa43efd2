from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.exports import csv_stream
from core.roles import SURVEY_MANAGER, role_required
from surveys import selectors
from surveys.models import Campaign

RESPONSE_COLUMNS = (
    "response",
    "submitted_at",
    "museum",
    "visit_month",
    "language",
    "age_group",
    "region",
)


@role_required(SURVEY_MANAGER)
def overview(request):
    campaigns = list(selectors.campaigns_with_funnel())
    for campaign in campaigns:
        campaign.response_rate = selectors.response_rate(campaign)
    return render(request, "surveys/overview.html", {"campaigns": campaigns})


@role_required(SURVEY_MANAGER)
def campaign_detail(request, pk):
    get_object_or_404(Campaign, pk=pk)
    campaign = selectors.campaign_funnel(pk)
    failures = selectors.campaign_failures(campaign)
    return render(
        request, "surveys/campaign_detail.html", {"campaign": campaign, "failures": failures}
    )


@role_required(SURVEY_MANAGER)
def campaign_responses_csv(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("survey"), pk=pk)
    questions = selectors.export_questions(campaign)

    def rows():
        yield [*RESPONSE_COLUMNS, *(f"q{question.pk}" for question in questions)]
        for response in selectors.responses_for_export(campaign=campaign).iterator(chunk_size=2000):
            values = {
                answer.question_id: selectors.answer_value(answer)
                for answer in response.answers.all()
            }
            yield [
                response.pk,
                timezone.localtime(response.submitted_at).isoformat(timespec="seconds"),
                response.museum.external_id,
                response.visit_month.strftime("%Y-%m"),
                response.language,
                response.age_group,
                response.region,
                *(values.get(question.pk, "") for question in questions),
            ]

    # Comments and museum ids come from outside: written through the one CSV writer that
    # neutralises formulas (core.exports).
    return csv_stream(f"campaign-{campaign.pk}-responses.csv", rows())
