"""The event list's rows, written with the work per column done once per page.

The admin's generic cells (`items_for_result`) look up each column's field, choices, display
function and empty value again for every cell: about half a millisecond a row of ten columns,
a third of the Python time of a page (docs/benchmarks.md). These rows are the same HTML
(tests/curation/test_views_admin_and_api.py compares them with the admin's own) with those
look-ups made once per column. Pages the shortcut does not cover (popups, editable lists)
fall back to the admin's cells.
"""

import datetime

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
    items_for_result,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def results(cl):
    """What `admin_list.results` yields: one ResultList of cell HTML per row."""
    if cl.formset or cl.is_popup or cl.to_field:
        for result in cl.result_list:
            yield ResultList(None, items_for_result(cl, result, None))
        return
    links = [_links(cl, index == 0, name) for index, name in enumerate(cl.list_display)]
    link = _Links(cl)
    columns = [
        _column(
            cl, index, name, links[index] and link, is_th=links[index] and True not in links[:index]
        )
        for index, name in enumerate(cl.list_display)
    ]
    for result in cl.result_list:
        yield ResultList(None, [column(result) for column in columns])


def _column(cl, index, name, link, is_th):
    """A function writing this column's cell of a row; `link` writes the link to the event."""
    empty = cl.model_admin.get_empty_value_display()
    classes = f"field-{_coerce_field_name(name, index)}"
    try:
        field = cl.lookup_opts.get_field(name) if isinstance(name, str) else None
    except FieldDoesNotExist:
        field = None
    if field is None or field.auto_created:
        value_of, nowrap = _attribute(cl, name, empty)
    else:
        value_of = _field(field, empty, avoid_link=bool(link))
        nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
    tag = "th" if is_th else "td"

    def cell(result):
        text, is_date = value_of(result)
        row_class = f' class="{classes}{" nowrap" if nowrap or is_date else ""}"'
        if link:
            text = link(result, text)
        return mark_safe(f"<{tag}{row_class}>{conditional_escape(text)}</{tag}>")

    return cell


def _links(cl, is_first, name):
    if cl.list_display_links is None:
        return False
    if is_first and not cl.list_display_links:
        return True
    return name in cl.list_display_links


def _attribute(cl, name, empty):
    """A method of the admin or the model (or a callable): its value, displayed."""
    if callable(name):
        attr = name
    elif hasattr(cl.model_admin, name) and name != "__str__":
        attr = getattr(cl.model_admin, name)
    else:
        attr = None
    empty = getattr(attr, "empty_value_display", empty)
    boolean = getattr(attr, "boolean", False)
    icons = {value: _boolean_icon(value) for value in (True, False, None)} if boolean else {}

    def value_of(result):
        value = attr(result) if attr is not None else getattr(result, name)
        if callable(value) and attr is None:
            value = value()
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if boolean:
            shown = icons[value] if value in icons else _boolean_icon(value)
        else:
            shown = display_for_value(value, empty)
        return shown, isinstance(value, (datetime.date, datetime.time))

    return value_of, False


def _field(field, empty, avoid_link):
    attname = field.attname
    if field.is_relation:  # before choices: a foreign key's choices are a query

        def value_of(result):
            related = getattr(result, field.name)
            return (empty if related is None else related), False

    elif field.flatchoices:
        labels = {value: str(label) for value, label in field.flatchoices}

        def value_of(result):
            value = getattr(result, attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return labels.get(value, empty), False

    elif isinstance(field, models.DateTimeField):

        def value_of(result):
            value = getattr(result, attname)
            if value in field.empty_values:
                return empty, False
            return formats.localize(timezone.template_localtime(value)), False

    else:

        def value_of(result):
            value = getattr(result, attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return display_for_field(value, field, empty, avoid_link=avoid_link), False

    return value_of


class _Links:
    """The change page's URL of each row, with the list's filters preserved.

    Integer keys: reversed and given the filters once, the key put in per row (the path comes
    before the query string, so the first occurrence of the placeholder is the key's place).
    """

    PLACEHOLDER = "0123456789"

    def __init__(self, cl):
        self.cl = cl
        self.template = None
        if isinstance(cl.lookup_opts.pk, models.AutoField | models.IntegerField):
            try:
                self.template = self._preserving(self._reverse(self.PLACEHOLDER))
            except NoReverseMatch:
                self.template = None

    def __call__(self, result, text):
        pk = getattr(result, self.cl.pk_attname)
        if self.template is not None and isinstance(pk, int):
            url = self.template.replace(self.PLACEHOLDER, str(pk), 1)
        else:
            try:
                url = self._preserving(self.cl.url_for_result(result))
            except NoReverseMatch:
                return text
        return format_html('<a href="{}">{}</a>', url, text)

    def _reverse(self, key):
        opts = self.cl.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(key,),
            current_app=self.cl.model_admin.admin_site.name,
        )

    def _preserving(self, url):
        context = {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}
        return add_preserved_filters(context, url)
