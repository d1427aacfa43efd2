"""The curators' pages: the overview, a queue, the task page and its actions, statistics.

Every action is a POST that calls a service and redirects: "save and next" decides, claims the
next task and lands on its page, so a curator's day is one page load per task.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import LazyPaginator, RequestConfig

from core.roles import CURATOR, role_required
from curation import selectors, tables
from curation.admin import audit_trail_html, curated_values_html
from curation.event_filters import EventSearchFilter
from curation.forms import DECISION_FORMS, NOTE_KEY, PAGE_SHORTCUTS, SkipForm, shared_keymap
from curation.models import LIVE_STATES, Queue, Task, TaskState
from curation.services.checks import location_problems
from curation.services.decisions import (
    DecisionLocked,
    decision_amend,
    decision_current,
    decision_may_change,
    decision_undo,
    task_decide,
)
from curation.services.queues import (
    TaskNotHeld,
    task_claim_next,
    task_keep,
    task_release,
    task_set_aside,
    task_skip,
    task_take,
    tasks_release_unkept,
)
from events.models import Event
from events.selectors import findings_of, unlinked_location

STATISTICS_DAYS = 14


@role_required(CURATOR)
@require_GET
def overview(request):
    tasks_release_unkept(curator=request.user)  # leaving a queue ends the claims not kept
    queues = list(selectors.queues_with_counts())  # a list: its page needs no count query
    context = {
        "queue_table": tables.QueueTable(queues, request=request),
        "held_table": tables.HeldTaskTable(selectors.tasks_held_by(request.user)),
        "panels": [
            render_to_string(template, panel(), request)
            for template, panel in selectors.OVERVIEW_PANELS
        ],
    }
    return render(request, "curation/overview.html", context)


@role_required(CURATOR)
@require_GET
def queue_detail(request, slug):
    tasks_release_unkept(curator=request.user)
    queue = get_object_or_404(selectors.queues_with_counts(Queue.objects.all()), slug=slug)
    context = {"queue": queue, "progress": selectors.progress(queue, request.user)}
    return render(request, "curation/queue.html", context)


@role_required(CURATOR)
@require_POST
def queue_next(request, slug):
    queue = get_object_or_404(Queue, slug=slug, is_active=True)
    return _to_next_task(request, queue)


def _to_next_task(request, queue, exclude=()):
    task = task_claim_next(queue=queue, curator=request.user, exclude=exclude)
    if task is None:
        messages.success(request, _("Nothing left to do in %(queue)s.") % {"queue": queue.name})
        return redirect("curation:queue", slug=queue.slug)
    return redirect("curation:task", task_id=task.pk)


@role_required(CURATOR)
@require_GET
def task_detail(request, task_id):
    task = _task_or_404(task_id)
    return _render_task(request, task, DECISION_FORMS[task.queue.kind](), SkipForm())


def _task_or_404(task_id) -> Task:
    try:
        return selectors.task_for_page(task_id)
    except Task.DoesNotExist:
        raise Http404(_("There is no such task.")) from None


def _findings(event) -> dict:
    """The event's open data findings, and the place it names without a usable @id."""
    findings = findings_of(event, open_only=True)
    return {"findings": findings, "unlinked_place": unlinked_location(findings)}


def _render_task(request, task, form, skip_form, status=200):
    event = task.event
    now = timezone.now()
    mine = task.state == TaskState.CLAIMED and task.claimed_by_id == request.user.pk
    lease_live = mine and task.lease_until > now
    # Organisers type these URLs: only http(s) becomes a link (never javascript:).
    web_url = urlsplit(event.online_url).scheme in ("http", "https")
    context = {
        "task": task,
        "event": event,
        "queue": task.queue,
        "form": form,
        "skip_form": skip_form,
        "mine": mine,
        "lease_live": lease_live,
        "can_decide": lease_live or task.state == TaskState.OPEN,
        "free": task.state == TaskState.OPEN
        or (task.state == TaskState.CLAIMED and task.lease_until <= now),
        "held_by_other": task.state == TaskState.CLAIMED and not mine and task.lease_until > now,
        "url_check": selectors.latest_url_check(event.pk, event.online_url),
        "location_problems": location_problems(event),
        **_findings(event),
        "curated": getattr(event, "curation", None),
        "page_shortcuts": PAGE_SHORTCUTS,
        "keymap": shared_keymap(),
        "note_key": NOTE_KEY,
        "online_link": event.online_url if web_url else "",
        **selectors.task_page_panel(task),
        **_standing_decision(request, task, form),
        "progress": selectors.progress(task.queue, request.user),
    }
    return render(request, "curation/task.html", context, status=status)


def _standing_decision(request, task, form) -> dict:
    """A decided task: what was decided, in words, and the form to amend it if allowed."""
    if task.state != TaskState.DECIDED:
        return {}
    standing = decision_current(task)
    if standing is None:
        return {}
    form_class = DECISION_FORMS[task.queue.kind]
    initial = form_class.initial_for(standing.values)
    described = form_class(initial=initial).describe()
    may_change = decision_may_change(standing, request.user)
    if may_change and not form.is_bound:
        form = form_class(initial={**initial, "note": standing.note})
    return {
        "standing": standing,
        "standing_described": described,
        "may_change": may_change,
        "form": form,
        "decision_url": reverse("curation:task-amend", args=[task.pk]),
    }


def _done(request, service, **arguments) -> bool:
    """Call the task service as this curator; a refusal becomes the page's error message."""
    try:
        service(curator=request.user, **arguments)
    except TaskNotHeld as refusal:
        messages.error(request, str(refusal))
        return False
    return True


@role_required(CURATOR)
@require_POST
def task_decide_view(request, task_id):
    task = _task_or_404(task_id)
    form = DECISION_FORMS[task.queue.kind](request.POST)
    if not form.is_valid():
        return _render_task(request, task, form, SkipForm(), status=400)
    note = form.cleaned_data["note"]
    if not _done(request, task_decide, task=task, values=form.values(), note=note):
        return redirect("curation:task", task_id=task.pk)
    messages.success(request, _("Saved: %(event)s.") % {"event": task.event.name_text})
    return _to_next_task(request, task.queue)


@role_required(CURATOR)
@require_POST
def task_amend_view(request, task_id):
    task = _task_or_404(task_id)
    form = DECISION_FORMS[task.queue.kind](request.POST)
    decision_id = _decision_id(request)
    if not form.is_valid() or decision_id is None:
        return _render_task(request, task, form, SkipForm(), status=400)
    try:
        decision_amend(
            task=task,
            user=request.user,
            decision_id=decision_id,
            values=form.values(),
            note=form.cleaned_data["note"],
        )
    except DecisionLocked as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Amended: %(event)s.") % {"event": task.event.name_text})
    return redirect("curation:task", task_id=task.pk)


@role_required(CURATOR)
@require_POST
def task_undo_view(request, task_id):
    """Undo the standing decision: the task is the curator's again, to decide anew."""
    task = _task_or_404(task_id)
    decision_id = _decision_id(request)
    try:
        if decision_id is None:
            raise DecisionLocked(_("This decision was changed meanwhile; nothing was saved."))
        decision_undo(task=task, user=request.user, decision_id=decision_id)
    except DecisionLocked as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Undone: decide this task again."))
    return redirect("curation:task", task_id=task.pk)


def _decision_id(request) -> int | None:
    """The decision the page showed (so that a change made meanwhile is not overwritten)."""
    value = request.POST.get("decision", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


@role_required(CURATOR)
@require_POST
def task_skip_view(request, task_id):
    task = _task_or_404(task_id)
    form = SkipForm(request.POST)
    if not form.is_valid():
        return _render_task(request, task, DECISION_FORMS[task.queue.kind](), form, status=400)
    if not _done(request, task_skip, task=task, reason=form.cleaned_data["reason"]):
        return redirect("curation:task", task_id=task.pk)
    return _to_next_task(request, task.queue)


@role_required(CURATOR)
@require_POST
def task_release_view(request, task_id):
    """ "Stop": release the task, not to be handed to this curator again, to the overview."""
    task = get_object_or_404(Task.objects.select_related("queue"), pk=task_id)
    _done(request, task_release, task=task, set_aside=True)
    return redirect("curation:overview")


@role_required(CURATOR)
@require_POST
def task_keep_view(request, task_id):
    """Keep the task for later (in "my tasks") and go to the overview."""
    task = get_object_or_404(Task, pk=task_id)
    _done(request, task_keep, task=task)
    return redirect("curation:overview")


@role_required(CURATOR)
@require_POST
def task_pass_view(request, task_id):
    """ "Next": leave this task to others (released, if held) and open the next one."""
    task = get_object_or_404(Task.objects.select_related("queue"), pk=task_id)
    if task.state == TaskState.CLAIMED and task.claimed_by_id == request.user.pk:
        task_release(task=task, curator=request.user, set_aside=True)
    else:
        task_set_aside(task=task, curator=request.user)
    return _to_next_task(request, task.queue, exclude=[task.pk])


@role_required(CURATOR)
@require_POST
def task_take_view(request, task_id):
    task = get_object_or_404(Task, pk=task_id)
    _done(request, task_take, task=task)
    return redirect("curation:task", task_id=task.pk)


@role_required(CURATOR)
@require_POST
def task_check_url(request, task_id):
    from curation.tasks import check_event_url

    task = get_object_or_404(Task.objects.select_related("event"), pk=task_id)
    if task.event.online_url and task.state in LIVE_STATES:
        check_event_url.delay(task.event_id)
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(status=202)  # the page shows the result when it comes
        messages.info(request, _("The URL check is queued; reload the page in a moment."))
    return redirect("curation:task", task_id=task.pk)


@role_required(CURATOR)
@require_GET
def task_url_check_fragment(request, task_id):
    """The latest URL check as the task page shows it: the page polls it after "check now"."""
    task = get_object_or_404(Task.objects.select_related("event"), pk=task_id)
    check = selectors.latest_url_check(task.event_id, task.event.online_url)
    context = {"task": task, "url_check": check, "fragment": True}
    return render(request, "curation/task/url_check.html", context)


@role_required(CURATOR)
@require_GET
def event_document(request, event_id):
    """The document as received, fetched when the curator opens it on the task page."""
    event = get_object_or_404(Event.objects.only("document"), pk=event_id)
    return JsonResponse(event.document, json_dumps_params={"indent": 2, "ensure_ascii": False})


@role_required(CURATOR)
@require_GET
def statistics(request):
    days, per_curator = selectors.decisions_per_curator(STATISTICS_DAYS)
    backlog_days, backlog = selectors.backlog_per_queue(STATISTICS_DAYS)
    today = timezone.localdate()
    # The chart's axis says "*" after today itself (charts.js), so its labels carry no mark.
    chart = {
        "labels": [date_format(day, tables.DAY_FORMAT) for day in backlog_days],
        "series": [{"label": row["queue"], "values": row["per_day"]} for row in backlog],
        "incomplete": backlog_days.index(today) if today in backlog_days else None,
        "text": {"incomplete": _("today, not over yet")},
    }
    context = {
        "per_day_table": tables.CuratorDayTable.for_days(per_curator, days),
        "speed_table": tables.CuratorSpeedTable(per_curator),
        "backlog_table": tables.BacklogTable.for_days(backlog, backlog_days),
        "backlog_chart": chart,
        "days": STATISTICS_DAYS,
        "today": date_format(today, tables.DAY_FORMAT),
    }
    return render(request, "curation/statistics.html", context)


@role_required(CURATOR)
@require_GET
def event_search(request):
    """Find any event: a page is the same few queries however many events match (no count:
    the paginator only looks one page ahead)."""
    found = EventSearchFilter(request.GET or None, queryset=selectors.events_for_search())
    table = tables.EventSearchTable(found.qs if found.is_bound else Event.objects.none())
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(
        table
    )
    status = 400 if found.is_bound and not found.is_valid() else 200
    context = {"filter": found, "table": table, "searched": found.is_bound}
    return render(request, "curation/event_search.html", context, status=status)


@role_required(CURATOR)
@require_GET
def event_detail(request, event_id):
    """What a curator needs about one event: its facts, what curators decided, every task and
    audit row, in words."""
    event = get_object_or_404(selectors.events_for_search(), pk=event_id)
    web_url = urlsplit(event.online_url).scheme in ("http", "https")
    context = {
        "event": event,
        "url_check": selectors.latest_url_check(event.pk, event.online_url),
        "location_problems": location_problems(event),
        **_findings(event),
        "online_link": event.online_url if web_url else "",
        "tasks": selectors.tasks_of_event(event.pk),
        "curated_values": curated_values_html(event),
        "audit_trail": audit_trail_html(event),
        "panels": [
            render_to_string(template, {"event": event, **panel(event)}, request)
            for template, panel in selectors.EVENT_PAGE_PANELS
        ],
    }
    return render(request, "curation/event.html", context)
