"""The family-offer evaluation page: the active rule against the curators' decisions, laid out
like the deck's table, with a what-if for another version side by side."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import CURATOR, role_required
from family.models import FamilyRule
from family.selectors import RuleEvaluation, family_evaluation, model_evaluation
from family.services.versions import family_rule_activate


@role_required(CURATOR)
@require_GET
def family_evaluation_view(request):
    versions = list(FamilyRule.objects.order_by("-version"))
    active = next((rule for rule in versions if rule.is_active), None)
    compare = request.GET.get("compare", "")
    wanted = int(compare) if compare.isdigit() else None
    other = next((rule for rule in versions if rule.version == wanted and rule is not active), None)
    evaluations = family_evaluation([rule for rule in (active, other) if rule is not None])
    return render(
        request,
        "family/evaluation.html",
        {
            "evaluations": evaluations,
            "versions": [rule for rule in versions if rule is not active],
            "other": other,
            "keyword_rows": _keyword_rows(evaluations),
            "decisions": evaluations[0].all.total if evaluations else 0,
            "audit_decisions": evaluations[0].audit.total if evaluations else 0,
            "audit_percent": settings.CURATION_FAMILY_AUDIT_PERCENT,
            "can_activate": request.user.has_perm("family.change_familyrule"),
            "learned": model_evaluation(),
        },
    )


def _keyword_rows(evaluations: list[RuleEvaluation]) -> list[dict]:
    """Every keyword of the versions shown, with which versions hold it. Its counts do not
    depend on the version: they are the decided events whose text holds it."""
    rows: dict[str, dict] = {}
    for index, evaluation in enumerate(evaluations):
        for keyword, count in evaluation.keyword_rows():
            row = rows.setdefault(keyword, {"keyword": keyword, "count": count, "in": []})
            row["in"].append(index)
    return sorted(rows.values(), key=lambda row: (-row["count"].family, row["keyword"]))


@role_required(CURATOR)
@permission_required("family.change_familyrule", raise_exception=True)
@require_POST
def family_rule_activate_view(request, version):
    rule = get_object_or_404(FamilyRule, version=version)
    family_rule_activate(rule=rule, actor=request.user)
    messages.success(
        request,
        _("Version %(version)s is active; the events are being classified by it again.")
        % {"version": rule.version},
    )
    return redirect(reverse("family:evaluation"))
