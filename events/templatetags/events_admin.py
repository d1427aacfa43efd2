"""The event list's result table, with rows from events.admin_rows."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields

from events import admin_rows

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def event_result_list(cl):
    """As the admin's `result_list`, with the rows written by admin_rows."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(admin_rows.results(cl)),
    }
