"""Demo dashboards: charlie sees MAS, dora sees MSK Gent, with a year of history behind them.

Thirteen months of visits, sales, invitations and answers for the six demo museums, enough
that every chart shows something; MAS's oldest month and the small museums' thin months show
the suppression, and the two large museums alone in their size class show why a benchmark
can be withheld. Holders here have no e-mail address, so nothing is ever mailed to them.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from dashboards.models import MuseumMembership
from dashboards.periods import add_months, month_start
from dashboards.services.summaries import summaries_rebuild
from museumpas.models import Holder, Museum, Pass, Visit
from museumpas.services import age_group, local_date, region_for_postcode
from surveys.demo import RENAMED_CAMPAIGNS, SURVEY_NAME
from surveys.models import Answer, Campaign, Invitation, InvitationState, Response, Survey

MEMBERSHIPS = (("charlie", "demo-mas"), ("dora", "demo-msk"))
VISITS_PER_MONTH = {"large": 110, "medium": 45, "small": 18}
HOLDERS = 300
MONTHS = 13
POSTCODES = ("2000", "2018", "9000", "3000", "1000", "1050", "7000", "4000", "8000", "3500")
COMMENTS = (
    "Prachtige collectie, we komen zeker terug.",
    "De audiogids was heel goed.",
    "Te weinig zitplaatsen in de zalen.",
    "Vriendelijk onthaal aan de balie.",
    "De cafetaria was gesloten, jammer.",
    "Très belle exposition temporaire.",
    "Signalisation peu claire vers l'entrée.",
    "Great museum, lovely view from the top floor.",
    "Mooie tentoonstelling, maar erg druk op zondag.",
    "Graag meer uitleg in het Frans.",
    "Leuk voor de kinderen, de doe-hoek was top.",
    "De lift was buiten gebruik.",
)


def _memberships() -> None:
    names = [name for name, _ in MEMBERSHIPS]
    users = {user.username: user for user in get_user_model().objects.filter(username__in=names)}
    museums = dict(Museum.objects.values_list("external_id", "pk"))
    for username, external_id in MEMBERSHIPS:
        if username in users and external_id in museums:
            MuseumMembership.objects.get_or_create(
                user=users[username], museum_id=museums[external_id]
            )


def _holders(rng: random.Random) -> list[Holder]:
    holders = []
    for number in range(1, HOLDERS + 1):
        postcode = rng.choice(POSTCODES)
        region = region_for_postcode(postcode)
        language = "fr" if region == "wallonia" else "en" if number % 15 == 0 else "nl"
        holders.append(
            Holder(
                external_id=f"demo-dash-holder-{number:03d}",
                language=language,
                postcode=postcode,
                region=region,
                birth_year=rng.randint(1940, 2005),
            )
        )
    return Holder.objects.bulk_create(holders)


def _visits(rng, museums, holders, first_month, last_day) -> list[Visit]:
    visits = []
    for museum in museums:
        for offset in range(MONTHS):
            month = add_months(first_month, offset)
            # Summer is busier; the volume differs per museum so the charts differ.
            volume = VISITS_PER_MONTH[museum.size_class] * (1.3 if month.month in (7, 8) else 1)
            for number in range(int(volume * rng.uniform(0.7, 1.2))):
                day = month + datetime.timedelta(days=rng.randrange(28))
                if day > last_day:
                    continue
                moment = datetime.datetime.combine(day, datetime.time(rng.randint(10, 17)))
                visits.append(
                    Visit(
                        external_id=f"demo-dash-visit-{museum.pk}-{offset}-{number}",
                        holder=rng.choice(holders),
                        museum=museum,
                        visited_at=timezone.make_aware(moment),
                    )
                )
    Visit.objects.bulk_create(visits, batch_size=1000)
    # Read back: the feedback dates invitations from the stored (UTC) time of the visit.
    return list(
        Visit.objects.filter(external_id__startswith="demo-dash-visit-")
        .select_related("holder", "museum")
        .order_by("pk")
    )


def _passes(rng, museums, holders, first_month) -> None:
    passes = []
    for index, holder in enumerate(holders):
        museum = museums[index % len(museums)]
        start = first_month + datetime.timedelta(days=rng.randrange(MONTHS * 30 - 30))
        passes.append(
            Pass(
                external_id=f"demo-dash-pass-{index:03d}",
                holder=holder,
                valid_from=start,
                valid_until=start + datetime.timedelta(days=364),
                channel=rng.choice(("online", "museum", "museum", "partner")),
                sold_by=museum,
                is_renewal=rng.random() < 0.4,
                price=Decimal("65.00"),
            )
        )
    Pass.objects.bulk_create(passes)


def _answer_rows(rng, response, questions, mood: float) -> list[Answer]:
    rows = []
    for question in questions:
        keys = [choice["key"] for choice in question.choices]
        if question.kind == "nps":
            value = {"number": min(10, max(0, round(rng.gauss(8 + 2 * mood, 1.8))))}
        elif question.kind == "rating":
            value = {"number": min(5, max(1, round(rng.gauss(3.6 + mood, 0.8))))}
        elif question.kind == "single":
            value = {"choice_keys": [rng.choice(keys)]}
        elif question.kind == "multiple":
            value = {"choice_keys": rng.sample(keys, rng.randint(1, 2))}
        elif rng.random() < 0.3:
            value = {"text": rng.choice(COMMENTS)}
        else:
            continue
        rows.append(Answer(response=response, question=question, **value))
    return rows


def _feedback(rng, visits, campaign: Campaign, first_month: datetime.date) -> int:
    mas = next((visit.museum for visit in visits if visit.museum.external_id == "demo-mas"), None)
    now = timezone.now()
    invitations, chosen = [], []
    for visit in visits:
        month = _month(visit)
        if rng.random() > 0.6:
            continue
        answered = rng.random() < 0.4
        # MAS keeps three responses in one month of the last twelve: its figures are hidden.
        if visit.museum == mas and month == add_months(first_month, 1):
            answered = sum(1 for _, v in chosen if v.museum == mas and _month(v) == month) < 3
        invitation = Invitation(
            campaign=campaign,
            visit=visit,
            holder=visit.holder,
            museum=visit.museum,
            language=visit.holder.language,
            state=InvitationState.RESPONDED if answered else InvitationState.EXPIRED,
            attempts=1,
            sent_at=visit.visited_at + datetime.timedelta(days=1),
            responded_at=visit.visited_at + datetime.timedelta(days=2) if answered else None,
            finished_at=None if answered else now,
        )
        invitations.append(invitation)
        if answered:
            chosen.append((invitation, visit))
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    responses = [
        Response(
            invitation=invitation,
            survey=campaign.survey,
            campaign=campaign,
            museum=visit.museum,
            visit_month=_month(visit),
            language=invitation.language,
            age_group=age_group(
                birth_year=visit.holder.birth_year, on=local_date(visit.visited_at)
            ),
            region=visit.holder.region,
        )
        for invitation, visit in chosen
    ]
    Response.objects.bulk_create(responses, batch_size=1000)
    questions = list(campaign.survey.questions.order_by("position"))
    moods = {"demo-mas": 0.2, "demo-msk": -0.1, "demo-bam": -0.3}
    answers = []
    for response in responses:
        mood = moods.get(response.museum.external_id, 0.0)
        answers += _answer_rows(rng, response, questions, mood)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def _month(visit: Visit) -> datetime.date:
    return month_start(local_date(visit.visited_at))


def seed(*, out) -> None:
    _memberships()
    survey = Survey.objects.filter(name=SURVEY_NAME).first()
    museums = list(Museum.objects.filter(external_id__startswith="demo-").order_by("pk"))
    if (
        survey is not None
        and museums
        and not Holder.objects.filter(external_id__startswith="demo-dash-holder-").exists()
    ):
        rng = random.Random(2027)
        today = timezone.localdate()
        first_month = add_months(month_start(today), -(MONTHS - 1))
        last_day = today - datetime.timedelta(days=20)  # older than any campaign's send window
        holders = _holders(rng)
        visits = _visits(rng, museums, holders, first_month, last_day)
        _passes(rng, museums, holders, first_month)
        campaign, _ = Campaign.objects.get_or_create(
            name=RENAMED_CAMPAIGNS["Demo: last year's visits (dashboards)"],
            defaults={
                "survey": survey,
                "active": False,
                "visits_from": first_month,
                "visits_until": last_day,
            },
        )
        responses = _feedback(rng, visits, campaign, first_month)
        out.write(f"dashboards: {len(visits)} visits and {responses} responses of the last year")
    result = summaries_rebuild()
    out.write(
        f"dashboards: charlie sees MAS, dora sees MSK Gent; summaries of {result.months} "
        f"months rebuilt in {result.seconds:.1f} s"
    )
