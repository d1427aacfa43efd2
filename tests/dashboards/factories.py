"""Data for the dashboards' tests: responses with their answers, written in bulk."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dashboards.models import MuseumMembership
from dashboards.periods import Period
from dashboards.services.summaries import summaries_rebuild
from museumpas.models import Holder, Museum, Pass, Visit
from surveys.models import Answer, Campaign, Invitation, Question, Response, Survey
from tests.surveys.factories import CampaignFactory, survey_with_every_kind

MONTH = datetime.date(2026, 3, 1)
MARCH = Period("month", MONTH, MONTH)


def member(user, museum: Museum) -> MuseumMembership:
    return MuseumMembership.objects.create(user=user, museum=museum)


class SurveyData:
    """A survey with every kind of question and a campaign, to answer in bulk."""

    def __init__(self):
        self.survey: Survey = survey_with_every_kind()
        self.campaign: Campaign = CampaignFactory(survey=self.survey)
        self.questions: dict[str, Question] = {q.kind: q for q in self.survey.questions.all()}

    def responses(
        self,
        museum: Museum,
        count: int,
        *,
        month: datetime.date = MONTH,
        nps: int | list[int] | None = 9,
        rating: int | list[int] | None = 4,
        single: str | None = "friends",
        multiple: list[str] | None = None,
        text: str = "",
        age_group: str = "36-45",
        language: str = "nl",
        region: str = "flanders",
    ) -> list[Response]:
        """`count` responses; a list for nps or rating gives each response its own score."""
        responses = Response.objects.bulk_create(
            Response(
                survey=self.survey,
                campaign=self.campaign,
                museum=museum,
                visit_month=month,
                language=language,
                age_group=age_group,
                region=region,
            )
            for _ in range(count)
        )
        answers = []
        for index, response in enumerate(responses):
            for kind, value in (("nps", nps), ("rating", rating)):
                if value is not None:
                    number = value[index] if isinstance(value, list) else value
                    answers.append(
                        Answer(response=response, question=self.questions[kind], number=number)
                    )
            if single:
                answers.append(
                    Answer(
                        response=response, question=self.questions["single"], choice_keys=[single]
                    )
                )
            if multiple:
                answers.append(
                    Answer(
                        response=response, question=self.questions["multiple"], choice_keys=multiple
                    )
                )
            if text:
                answers.append(
                    Answer(
                        response=response, question=self.questions["text"], text=f"{text} {index}"
                    )
                )
        Answer.objects.bulk_create(answers)
        return responses

    def invitations(
        self, museum: Museum, count: int, *, responded: int = 0, day: datetime.date = MONTH
    ) -> None:
        """`count` delivered invitations for visits on `day`, `responded` of them answered."""
        holder = Holder.objects.create(external_id=f"h-{museum.pk}-{day}-{count}", birth_year=1985)
        visited_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        visits = Visit.objects.bulk_create(
            Visit(
                external_id=f"v-{museum.pk}-{day}-{count}-{index}",
                holder=holder,
                museum=museum,
                visited_at=visited_at,
            )
            for index in range(count)
        )
        Invitation.objects.bulk_create(
            Invitation(
                campaign=self.campaign,
                visit=visit,
                holder=holder,
                museum=museum,
                language="nl",
                state="responded" if index < responded else "sent",
                sent_at=visited_at,
                responded_at=visited_at if index < responded else None,
            )
            for index, visit in enumerate(visits)
        )


def visits(museum: Museum, count: int, *, day: datetime.date = MONTH, holder=None) -> list[Visit]:
    holder = holder or Holder.objects.create(
        external_id=f"visitor-{museum.pk}-{day}-{count}-{Visit.objects.count()}", birth_year=1970
    )
    visited_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    start = Visit.objects.count()
    return Visit.objects.bulk_create(
        Visit(
            external_id=f"visit-{start + index}",
            holder=holder,
            museum=museum,
            visited_at=visited_at,
        )
        for index in range(count)
    )


def passes(museum: Museum, count: int, *, channel="museum", renewal=False, day=MONTH) -> None:
    holder = Holder.objects.create(external_id=f"buyer-{museum.pk}-{Pass.objects.count()}")
    start = Pass.objects.count()
    Pass.objects.bulk_create(
        Pass(
            external_id=f"pass-{start + index}",
            holder=holder,
            valid_from=day,
            valid_until=day + datetime.timedelta(days=364),
            channel=channel,
            sold_by=museum,
            is_renewal=renewal,
            price=Decimal("65.00"),
        )
        for index in range(count)
    )


def rebuilt() -> None:
    summaries_rebuild()
