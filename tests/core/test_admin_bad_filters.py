"""Every admin list takes any filter value without a 500: values PostgreSQL refuses (offsets
beyond 15:59, a NUL byte, a bad regular expression) get the admin's invalid-filter page or a
400, as a lookup the admin does not know does."""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.db import models

from core.models import User

# transactional: a refused value aborts the statement; the next request needs a clean connection.
pytestmark = pytest.mark.django_db(transaction=True)

MOMENTS = ["2026-01-01T00:00:00+17:55", "2026-01-01T00:00:00-17:55", "9999-12-31T23:59:59-14:00"]


def bad_filters(model, model_admin) -> list[dict]:
    """Each date-time field with extreme moments and years, the first text field with a NUL
    byte and a bad regular expression, the search box with a NUL byte."""
    filters = [{"q": "\x00"}, {"name": "\x00"}]
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            filters += [{f"{field.name}__gte": moment} for moment in MOMENTS]
            filters.append({f"{field.name}__year": "99999"})
    text = [f for f in model._meta.concrete_fields if isinstance(f, models.CharField)]
    if text:
        filters += [{text[0].name: "a\x00"}, {f"{text[0].name}__regex": "("}]
    if model_admin.date_hierarchy:
        filters.append({f"{model_admin.date_hierarchy}__year": "0"})
    return filters


def test_no_admin_list_answers_500_to_a_filter_value_postgresql_refuses(client):
    client.raise_request_exception = False  # a 500 is a finding to list, not to stop at
    client.force_login(User.objects.create_superuser("root", "root@example.be", "x"))
    failures = []
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for params in bad_filters(model, model_admin):
            page = client.get(f"{url}?{urlencode(params)}", follow=True)
            if page.status_code not in (200, 400):
                failures.append((url, params, page.status_code))
    assert not failures


def test_an_offset_beyond_15_59_gets_the_admins_invalid_filter_page(client):
    client.force_login(User.objects.create_superuser("root", "root@example.be", "x"))
    url = "/admin/museumpas/visit/?visited_at__gte=2026-01-01T00:00:00%2B17:55"

    first = client.get(url)
    assert first.status_code == 302 and first["Location"] == "/admin/museumpas/visit/?e=1"
    assert client.get(first["Location"]).status_code == 200


def test_a_nul_byte_in_an_admin_filter_search_or_path_answers_400(client):
    client.force_login(User.objects.create_superuser("root", "root@example.be", "x"))

    assert client.get("/admin/museumpas/museum/?name=%00").status_code == 400
    assert client.get("/admin/events/event/?q=a%00b").status_code == 400
    assert client.get("/admin/events/event/a%00b/change/").status_code == 400
