"""Survey managers work with responses without the holder's identity (docs/surveys.md, Privacy):
no admin page, filter or lookup they can reach ties a response to a holder. Administrators can
follow the link, and every time they do it leaves an audit row."""

from urllib.parse import unquote, urlencode

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.test import RequestFactory

from core.models import AuditEntry, User
from museumpas.models import Holder, Visit
from surveys.models import Invitation, OptOut, Response
from surveys.services.responses import response_submit
from tests.museumpas.factories import HolderFactory, MuseumFactory, PassFactory, VisitFactory
from tests.surveys.factories import (
    CampaignFactory,
    InvitationFactory,
    invitation_with_link,
    survey_with_every_kind,
)

pytestmark = pytest.mark.django_db

# Lookups that would tie a row to a holder, on whichever model has the field.
LINK_LOOKUPS = [
    "holder",
    "holder_id",
    "holder__in",
    "holder__external_id",
    "holder__external_id__startswith",
    "visit",
    "visit_id",
    "visit__holder",
    "visit__holder__external_id",
    "response",
    "response__id",
    "response__isnull",
    "response__answers__text__contains",
    "invitation",
    "invitation_id",
    "invitation__in",
    "invitation__isnull",
    "invitation__holder",
    "invitation__holder__external_id",
    "invitation__visit__holder",
    "invitations__holder",
    "invitations__holder__external_id",
    "visits__holder",
    "opt_outs__holder",
]


@pytest.fixture
def world():
    """Holders with ids, e-mails and card numbers that no survey manager's page may show."""
    survey = survey_with_every_kind()
    campaign = CampaignFactory(survey=survey)
    museum = MuseumFactory()
    holders = [
        HolderFactory(external_id=f"PASSHOLDER-{n}-X7", email=f"holder.secret{n}@example.org")
        for n in range(3)
    ]
    for n, holder in enumerate(holders):
        PassFactory(holder=holder, external_id=f"PASS-{n}-X7", card_number=f"CARD{n}X7")
    responses = []
    for holder in holders[:2]:
        invitation, _token = invitation_with_link(
            campaign=campaign, visit=VisitFactory(holder=holder, museum=museum)
        )
        answers = {
            survey.questions.get(kind="nps").pk: 9,
            survey.questions.get(kind="text").pk: "De gids was fantastisch",
        }
        responses.append(response_submit(invitation=invitation, answers=answers))
    InvitationFactory(
        campaign=campaign,
        visit=VisitFactory(holder=holders[2], museum=museum),
        state="failed",
        last_error="SMTPDataError: (451, b'Try again later')",
    )
    OptOut.objects.create(holder=holders[0], museum=museum)
    OptOut.objects.create(holder=holders[1], museum=None)
    return {"holders": holders, "responses": responses, "campaign": campaign}


def secrets_of(holders) -> list[str]:
    found = []
    for holder in holders:
        found += [holder.external_id, holder.email]
        found += list(holder.passes.values_list("card_number", flat=True))
    return found


def viewable_admins(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
    ]


def value_for(lookup: str, holder) -> str:
    if lookup.endswith("external_id") or lookup.endswith("startswith"):
        return holder.external_id
    return "True" if lookup.endswith("isnull") else str(holder.pk)


def crosses_the_link(model, lookup: str) -> bool:
    """Whether a lookup goes to a holder or a visit, or between a response and its invitation."""
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation:
            return False
        target = field.related_model
        if target in (Holder, Visit) or {model, target} == {Response, Invitation}:
            return True
        model = target
    return False


def link_filters(model, holder) -> list[tuple[str, bool]]:
    """The model's list filtered by each link lookup that names one of its fields, and whether
    that lookup crosses the link."""
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    names = {field.name for field in model._meta.get_fields()}
    names |= {field.attname for field in model._meta.concrete_fields}
    return [
        (
            f"{base}?{urlencode({lookup: value_for(lookup, holder)})}",
            crosses_the_link(model, lookup),
        )
        for lookup in LINK_LOOKUPS
        if lookup.split("__")[0] in names
    ]


def pages_of(model, holders) -> list[str]:
    """The model's list, searched, and each object's pages."""
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    urls = [base, f"{base}?{urlencode({'q': holders[0].external_id})}"]
    for pk in model.objects.values_list("pk", flat=True)[:5]:
        urls += [f"{base}{pk}/change/", f"{base}{pk}/history/"]
    return urls


def body_of(page) -> str:
    return b"".join(page.streaming_content if page.streaming else [page.content]).decode()


def test_no_admin_page_or_filter_a_survey_manager_reaches_shows_a_holder(client, sofie, world):
    holders = world["holders"]
    client.force_login(sofie)
    admins = viewable_admins(sofie)
    models = {model for model, _admin in admins}
    assert {Invitation, Response, OptOut} <= models and Holder not in models

    campaign = world["campaign"].pk
    urls = ["/admin/", "/admin/surveys/", "/surveys/", f"/surveys/campaigns/{campaign}/"]
    urls += [f"/surveys/campaigns/{campaign}/responses.csv", "/api/surveys/responses/"]
    filters = [url for model, _admin in admins for url in link_filters(model, holders[0])]
    for model, _admin in admins:
        urls += pages_of(model, holders)

    secrets = secrets_of(holders)
    for url in urls + [url for url, _crosses in filters]:
        page = client.get(url, follow=True)
        assert page.status_code in (200, 400, 403, 404), url
        # A value the user typed in the URL comes back in the search box: not a finding.
        shown = [s for s in secrets if s in body_of(page) and s not in unquote(url)]
        assert not shown, url
        assert "/admin/museumpas/holder/" not in body_of(page), url
    crossing = [url for url, crosses in filters if crosses]
    assert len(crossing) >= 20
    for url in crossing:  # refused, not merely showing nothing
        assert client.get(url).status_code == 400, url


@pytest.mark.parametrize(
    ("url", "lookup"),
    [
        ("/admin/surveys/invitation/", "response"),
        ("/admin/surveys/invitation/", "response__id"),
        ("/admin/surveys/invitation/", "holder"),
        ("/admin/surveys/invitation/", "holder_id"),
        ("/admin/surveys/invitation/", "visit"),
        ("/admin/surveys/response/", "invitation"),
        ("/admin/surveys/response/", "invitation_id"),
        ("/admin/surveys/response/", "invitation__in"),
        ("/admin/surveys/optout/", "holder"),
    ],
)
def test_survey_managers_cannot_filter_across_the_link(client, sofie, world, url, lookup):
    response = world["responses"][0]
    value = {
        "response": response.pk,
        "invitation": response.invitation_id,
        "holder": world["holders"][0].pk,
        "visit": response.invitation.visit_id,
    }[lookup.split("_")[0]]
    client.force_login(sofie)

    assert client.get(f"{url}?{lookup}={value}").status_code == 400


def test_survey_managers_see_invitations_and_opt_outs_without_the_holder(client, sofie, world):
    invitation = world["responses"][0].invitation
    client.force_login(sofie)

    page = client.get(f"/admin/surveys/invitation/{invitation.pk}/change/").content.decode()
    assert "field-state" in page and "field-holder" not in page and "field-visit" not in page
    assert client.get("/admin/surveys/optout/").status_code == 200
    opt_out = OptOut.objects.first()
    assert client.get(f"/admin/surveys/optout/{opt_out.pk}/change/").status_code == 403


def test_an_administrator_following_the_link_leaves_an_audit_row_each_time(client, world):
    root = User.objects.create_superuser("root", "root@example.be", "x")
    response = world["responses"][0]
    client.force_login(root)

    page = client.get(f"/admin/surveys/response/{response.pk}/change/").content.decode()
    assert f"/admin/surveys/invitation/{response.invitation_id}/" in page
    listed = client.get(f"/admin/surveys/invitation/?response={response.pk}").content.decode()
    assert f"/admin/surveys/invitation/{response.invitation_id}/change/" in listed
    client.get(f"/admin/surveys/response/?invitation={response.invitation_id}")
    client.get(f"/admin/surveys/response/{response.pk}/change/")

    rows = AuditEntry.objects.filter(action="surveys.response_link_viewed", actor=root)
    assert rows.count() == 4
    assert [row.object_id for row in rows.order_by("pk")] == [
        str(response.pk),
        "",
        "",
        str(response.pk),
    ]
    assert rows.order_by("pk")[1].new_values == {"filter": {"response": str(response.pk)}}
    secrets = secrets_of(world["holders"])
    assert not [s for row in rows for s in secrets if s in str((row.new_values, row.note))]


def test_a_survey_manager_leaves_no_link_audit_row(client, sofie, world):
    client.force_login(sofie)
    client.get(f"/admin/surveys/response/{world['responses'][0].pk}/change/")
    client.get("/admin/surveys/response/")

    assert not AuditEntry.objects.filter(action="surveys.response_link_viewed").exists()
