"""Where people meet the family-offer rule: the evaluation page, the task page's explanation,
the event API and the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from core.models import AuditEntry
from curation.models import EventCuration, QueueKind, Task
from curation.services.queues import task_claim_next
from events.models import Event
from family.admin import EventWithCurationAdmin
from family.models import FamilyClassification, FamilyRule
from family.queue import in_audit_share
from family.selectors import family_evaluation
from family.services.classify import family_classify_all
from family.services.versions import family_rule_create, rule_as_json
from tests.curation.factories import QueueFactory, TaskFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}

# (text, max age, curators' decision) -> what version 1 says, with threshold 3:
DECIDED = [
    ("Kids, gezin en jong en oud", None, True),  # 3 points: family; curators agree
    ("Kinderen en het gezin", 10, True),  # 2 + 3 points: family; agree
    ("Kids, gezin, jong en oud", None, False),  # family; curators do not
    ("Een wandeling", None, True),  # 0 points: not; curators say family
    ("Met je kind", None, True),  # 1 point: not; curators say family
    ("Lezing", None, False),  # not; agree
    ("Opvoeding: kids, gezin, jong en oud", None, False),  # excluded by "opvoed"; agree
]


@pytest.fixture
def decided(alice):
    events = []
    for text, max_age, family in DECIDED:
        event = EventFactory(description_text=text, max_age=max_age)
        EventCuration.objects.create(event=event, family=family, family_decided_by=alice)
        events.append(event)
    family_classify_all()
    return events


@pytest.fixture
def draft():
    """Version 2: "wandeling" added, threshold 1."""
    values = rule_as_json(FamilyRule.objects.get(version=1))
    values.update(threshold=1, keywords=[*values["keywords"], "wandeling"])
    return family_rule_create(values=values, note="drempel 1")


@pytest.fixture
def curator_client(client, alice):
    client.force_login(alice)
    return client


def counts(confusion):
    return (
        confusion.true_positive,
        confusion.false_negative,
        confusion.false_positive,
        confusion.true_negative,
    )


# The evaluation ------------------------------------------------------------------------------


def test_the_evaluation_counts_the_rule_against_the_curators_decisions(decided, settings):
    settings.CURATION_FAMILY_AUDIT_PERCENT = 100
    (evaluation,) = family_evaluation([FamilyRule.objects.get(version=1)])

    assert counts(evaluation.all) == (2, 2, 1, 2)
    assert (evaluation.all.precision, evaluation.all.recall) == (2 / 3, 0.5)
    assert evaluation.all.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert counts(evaluation.audit) == counts(evaluation.all)  # every event is audited at 100%
    per_keyword = {
        keyword: (count.events, count.family) for keyword, count in evaluation.keyword_rows()
    }
    assert per_keyword["kids"] == (3, 1)
    assert per_keyword["gezin"] == (4, 2)
    assert per_keyword["kind"] == (2, 2)
    assert per_keyword["jong en oud"] == (3, 1)
    assert per_keyword["familie"] == (0, 0)
    with translation.override("en"):
        exclusions = [(name, c.events, c.family) for name, c in evaluation.exclusion_rows()]
    assert exclusions == [("keyword opvoed", 1, 0)]


def test_the_evaluation_uses_stored_results_of_the_version_and_classifies_the_others(
    alice, django_assert_num_queries
):
    """The stored row says family for a text the rule would not label: used as stored when
    it is by the evaluated version, classified again when it is by another one."""
    by_version, by_other = EventFactory.create_batch(2, description_text="Een lezing")
    for event, rule_id in ((by_version, 1), (by_other, 99)):
        EventCuration.objects.create(event=event, family=True, family_decided_by=alice)
        FamilyClassification.objects.create(
            event=event,
            rule_id=rule_id,
            label=True,
            points=5,
            matched_keywords=["gezin"],
            classified_at=timezone.now(),
        )
    rule = FamilyRule.objects.get(version=1)

    with django_assert_num_queries(1):
        (evaluation,) = family_evaluation([rule])

    assert counts(evaluation.all) == (1, 1, 0, 0)
    assert evaluation.keywords["gezin"].events == 1


def test_the_audit_share_alone_counts_only_the_events_drawn_for_it(decided, settings):
    settings.CURATION_FAMILY_AUDIT_PERCENT = 0
    (nothing,) = family_evaluation([FamilyRule.objects.get(version=1)])
    assert nothing.audit.total == 0

    settings.CURATION_FAMILY_AUDIT_PERCENT = 40
    (evaluation,) = family_evaluation([FamilyRule.objects.get(version=1)])
    audited = [event for event in decided if in_audit_share(event.pk)]
    assert evaluation.audit.total == len(audited)
    assert evaluation.audit.family == sum(
        EventCuration.objects.get(event=event).family for event in audited
    )


def test_a_draft_is_evaluated_against_the_same_decisions_side_by_side(decided, draft):
    active, what_if = family_evaluation([FamilyRule.objects.get(version=1), draft])
    assert counts(active.all) == (2, 2, 1, 2)
    assert counts(what_if.all) == (4, 0, 1, 2)
    assert (what_if.all.precision, what_if.all.recall) == (0.8, 1.0)
    assert {k: (c.events, c.family) for k, c in what_if.keyword_rows()}["wandeling"] == (1, 1)


def test_the_evaluation_page_shows_the_decks_table_and_the_what_if(curator_client, decided, draft):
    response = curator_client.get("/curation/family/", {"compare": draft.version}, **ENGLISH)
    assert response.status_code == 200
    page = response.content.decode()
    evaluations = response.context["evaluations"]
    assert [evaluation.rule.version for evaluation in evaluations] == [1, 2]
    for expected in (
        "curators: family",
        "rule: not family",
        "67%",  # precision of version 1
        "2 of 3",
        "50%",  # its recall
        "2 of 4",
        "80%",  # precision of version 2
        "4 of 5",
        "Audit share only",
        "wandeling",
        "keyword opvoed",
    ):
        assert expected in page, expected
    rows = {row["keyword"]: row for row in response.context["keyword_rows"]}
    assert rows["wandeling"]["in"] == [1] and rows["kids"]["in"] == [0, 1]


def test_the_evaluation_page_is_in_dutch_by_default(curator_client, decided):
    page = curator_client.get("/curation/family/").content.decode()
    assert "curatoren: familie" in page
    assert "Enkel het auditaandeel" in page


@pytest.mark.parametrize("count", [7, 70])
def test_the_evaluation_page_takes_the_same_queries_for_few_and_many_decisions(
    curator_client, alice, draft, django_assert_num_queries, count
):
    events = Event.objects.bulk_create(
        EventFactory.build_batch(count, description_text="Kids en het gezin", location=None)
    )
    EventCuration.objects.bulk_create(
        [EventCuration(event=event, family=index % 2 == 0) for index, event in enumerate(events)]
    )
    # Session, user, roles, the versions, the decisions with their events, the permission
    # check for the "activate" button (the user's and their groups' permissions), the active
    # model (none here; with one, one more query reads the decisions since it was trained).
    with django_assert_num_queries(8):
        response = curator_client.get("/curation/family/", {"compare": draft.version})
    assert response.context["evaluations"][0].all.total == count


def test_only_curators_reach_the_evaluation_page(client, charlie):
    assert client.get("/curation/family/").status_code == 302
    client.force_login(charlie)
    assert client.get("/curation/family/").status_code == 403


def test_activating_from_the_evaluation_page_needs_the_change_permission(
    curator_client, alice, draft
):
    url = f"/curation/family/versions/{draft.version}/activate/"
    assert curator_client.post(url).status_code == 403
    assert FamilyRule.objects.get(is_active=True).version == 1

    alice.user_permissions.add(Permission.objects.get(codename="change_familyrule"))
    assert curator_client.post(url).status_code == 302
    assert FamilyRule.objects.get(is_active=True).version == draft.version
    assert AuditEntry.objects.filter(action="family_rule.activated", actor=alice).exists()


# The task page -------------------------------------------------------------------------------


@pytest.fixture
def family_task(alice):
    event = EventFactory(description_text="Voor kids en het gezin", min_age=4)
    family_classify_all()
    queue = QueueFactory(kind=QueueKind.FAMILY)
    TaskFactory(queue=queue, event=event)
    return task_claim_next(queue=queue, curator=alice)


def test_the_task_page_explains_the_rules_label(curator_client, family_task):
    page = curator_client.get(f"/curation/tasks/{family_task.pk}/", **ENGLISH).content.decode()
    assert "kids +1, gezin +1, minimum age 4 +2 = 4: family" in page
    assert "Rule version 1: family from 3 points." in page


def test_the_task_page_highlights_the_words_the_rule_matched(curator_client, family_task):
    page = curator_client.get(f"/curation/tasks/{family_task.pk}/", **ENGLISH).content.decode()
    matched = page.split('id="family-matched-text"', 1)[1].split("</div>", 1)[0]
    assert "Voor <mark>kids</mark> en het <mark>gezin</mark>" in matched


def test_the_task_page_says_an_exclusion_and_a_curated_decision(curator_client, family_task, bob):
    Event.objects.filter(pk=family_task.event_id).update(
        event_type_id="0.6.0.0.0", term_ids=["0.6.0.0.0"]
    )
    family_classify_all()
    EventCuration.objects.create(event_id=family_task.event_id, family=True, family_decided_by=bob)
    page = curator_client.get(f"/curation/tasks/{family_task.pk}/", **ENGLISH).content.decode()
    assert "= 4: not family: excluded by event type Beurs (0.6.0.0.0)" in page
    assert "A curator decided: family offer. That wins over the rule." in page


def test_the_event_page_explains_the_rules_label_and_the_curated_decision(
    curator_client, family_task, bob
):
    EventCuration.objects.create(event_id=family_task.event_id, family=False, family_decided_by=bob)
    url = f"/curation/events/{family_task.event_id}/"
    page = curator_client.get(url, **ENGLISH).content.decode()
    assert "kids +1, gezin +1, minimum age 4 +2 = 4: family" in page
    matched = page.split('id="family-matched-text"', 1)[1].split("</div>", 1)[0]
    assert "Voor <mark>kids</mark> en het <mark>gezin</mark>" in matched
    assert "A curator decided: not family offer. That wins over the rule." in page


def test_the_family_task_page_adds_one_query(
    curator_client, family_task, django_assert_num_queries
):
    curator_client.get(f"/curation/tasks/{family_task.pk}/")  # term labels now cached
    # Session, user, roles, the task with its event, its open data findings, the
    # classification with its version, progress (two).
    with django_assert_num_queries(8):
        assert curator_client.get(f"/curation/tasks/{family_task.pk}/").status_code == 200


# The API and the admin -----------------------------------------------------------------------


def test_the_event_api_gives_the_automatic_label_the_curated_decision_and_the_final_one(
    client, alice, decided
):
    token = Token.objects.create(user=alice)
    event = decided[2]  # the rule says family, the curators do not
    response = client.get(f"/api/events/{event.udb_id}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    family = response.json()["family"]
    assert family["label"] is True and family["curated"] is False and family["final"] is False
    assert family["points"] == 3
    assert family["matched_keywords"] == ["kids", "gezin", "jong en oud"]
    assert (family["excluded_by"], family["rule_version"]) == (None, 1)
    assert family["curated_at"] is None  # decided outside a task in this test

    excluded = decided[6]
    response = client.get(
        f"/api/events/{excluded.udb_id}/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.json()["family"]["excluded_by"] == "keyword opvoed"


def test_an_event_not_classified_yet_has_no_label_in_the_api(client, alice):
    token = Token.objects.create(user=alice)
    event = EventFactory()
    response = client.get(f"/api/events/{event.udb_id}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    family = response.json()["family"]
    assert (family["label"], family["curated"], family["final"]) == (None, None, None)


def test_the_admin_event_page_shows_the_rules_label_and_the_curators(admin_client, decided):
    event = decided[2]
    page = admin_client.get(f"/admin/events/event/{event.pk}/change/", **ENGLISH)
    content = page.content.decode()
    assert "rule version 1: kids +1, gezin +1, jong en oud +1 = 3: family" in content
    assert "curator: not family" in content
    assert "final: not family" in content


def test_a_new_rule_version_in_the_admin_starts_from_the_active_one_and_checks_each_line(
    admin_client,
):
    form = admin_client.get("/admin/family/familyrule/add/").context["adminform"].form
    assert form.initial["keywords"].splitlines()[0] == "kind"
    data = {
        "note": "meer trefwoorden",
        "threshold": 3,
        "keyword_points": 1,
        "min_age_points": 2,
        "min_age_max": 12,
        "max_age_points": 3,
        "max_age_max": 12,
        "keywords": "kind\ngezin\n+baby\nKIND",
        "excluded_event_types": ["0.3.2.0.0"],
        "excluded_themes": ["1.37.0.0.0"],
        "excluded_keywords": "opvoed",
    }

    refused = admin_client.post("/admin/family/familyrule/add/", data, **ENGLISH)
    errors = refused.context["adminform"].form.errors["keywords"]
    assert errors == [
        "line 3: '+baby' must start with a letter or digit (keywords match where a word starts)",
        "line 4: 'KIND' repeats line 1",
    ]
    assert FamilyRule.objects.count() == 1

    data["keywords"] = "kind\ngezin\nbaby"
    assert admin_client.post("/admin/family/familyrule/add/", data).status_code == 302
    rule = FamilyRule.objects.get(version=2)
    assert (rule.keywords, rule.is_active, rule.is_draft) == (
        ["kind", "gezin", "baby"],
        False,
        True,
    )
    assert rule.excluded_themes == ["1.37.0.0.0"]
    assert AuditEntry.objects.filter(action="family_rule.created", object_id="2").exists()


def test_the_admin_activates_a_version_and_shows_one_that_was_active_read_only(admin_client, draft):
    url = "/admin/family/familyrule/"
    response = admin_client.post(
        url, {"action": "activate", "_selected_action": [draft.version]}, follow=True
    )
    assert response.status_code == 200
    assert FamilyRule.objects.get(is_active=True).version == draft.version

    page = admin_client.get(f"{url}1/change/", **ENGLISH).content.decode()
    assert 'name="_save"' not in page
    assert "Beurs (0.6.0.0.0)" in page
    assert admin_client.post(f"{url}1/change/", {"threshold": 9}).status_code == 403
    assert admin_client.post(f"{url}1/delete/", {"post": "yes"}).status_code == 403
    assert FamilyRule.objects.get(version=1).threshold == 3


def test_a_draft_deleted_in_the_admin_leaves_its_values(admin_client, draft):
    url = f"/admin/family/familyrule/{draft.version}/delete/"

    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    row = AuditEntry.objects.get(action="family.familyrule_deleted")
    assert row.object_id == str(draft.version) and row.old_values["threshold"] == 1
    assert not FamilyRule.objects.filter(version=draft.version).exists()


@pytest.mark.parametrize("drafts", [1, 30])
def test_the_admin_list_of_rule_versions_takes_the_same_queries_for_few_and_many(
    admin_client, django_assert_num_queries, drafts
):
    values = rule_as_json(FamilyRule.objects.get(version=1))
    for number in range(drafts):
        family_rule_create(values={**values, "threshold": 3 + number}, note=f"draft {number}")
    # Session, user, the count, the full count (admin default) and the page.
    with django_assert_num_queries(5):
        response = admin_client.get("/admin/family/familyrule/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1 + drafts


def test_a_draft_can_be_copied_from_any_version_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/family/familyrule/", {"action": "copy_as_draft", "_selected_action": [1]}
    )
    assert response.status_code == 302 and response.url.endswith("/familyrule/2/change/")
    copy = FamilyRule.objects.get(version=2)
    assert rule_as_json(copy) == rule_as_json(FamilyRule.objects.get(version=1))
    assert Task.objects.count() == 0  # nothing else happened


def test_seed_demo_gives_the_evaluation_page_real_numbers(curator_client):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    (evaluation,) = family_evaluation([FamilyRule.objects.get(is_active=True)])
    assert evaluation.all.total >= 50
    # Agreement and disagreement on what the rule proposes; the audit share (a few events in
    # a demo of 300) adds events it does not.
    assert evaluation.all.true_positive > 0 and evaluation.all.false_positive > 0
    assert evaluation.audit.total > 0 and evaluation.all.predicted_not > 0
    assert curator_client.get("/curation/family/").status_code == 200


def test_the_admin_event_list_shows_the_final_label_curated_over_automatic(admin_client, decided):
    rule_family_curators_not = decided[2]
    undecided = EventFactory(description_text="Kids, gezin en jong en oud")
    family_classify_all()
    unclassified = EventFactory(name_text="Nog niet geclassificeerd")
    changelist = admin_client.get("/admin/events/event/").context["cl"]
    finals = {
        event.pk: EventWithCurationAdmin.family_final(None, event)
        for event in changelist.result_list
    }
    expected = {
        event.pk: family if family is not None else event.family_classification.label
        for event, (_text, _age, family) in zip(decided, DECIDED, strict=True)
    }
    assert finals == {**expected, undecided.pk: True, unclassified.pk: None}
    assert finals[rule_family_curators_not.pk] is False


def test_the_curators_event_search_filters_on_the_rules_label(curator_client):
    EventFactory(name_text="Kinderen en het gezin", max_age=10)
    EventFactory(name_text="Lezing")
    family_classify_all()

    def names(query):
        response = curator_client.get(f"/curation/events/?family_label={query}")
        return [row.record.name_text for row in response.context["table"].page.object_list]

    assert names("yes") == ["Kinderen en het gezin"]
    assert names("no") == ["Lezing"]
