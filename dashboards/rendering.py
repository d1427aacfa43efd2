"""The numbers of a dashboard table as HTML, written in Python in one pass.

A table with a monthly trend has a cell per month and row: 36 months make about 800 cells on a
museum's page. Written cell by cell by the template language (a loop, three conditions and a
localised value per cell), they took about half of a 36-month page (cProfile); here
each cell is one string operation. The output is the markup the template wrote before.
"""

import math

from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dashboards import privacy

NO_VALUE = "\u2013"  # an en dash


def table_html(table) -> SafeString:
    """`<table>` with its head and body: the rows' labels, then a cell per column."""
    number = ' class="number"' if table.numeric else ""
    head = "".join(f'<th scope="col"{number}>{conditional_escape(c)}</th>' for c in table.columns)
    parts = [
        f'<table id="{conditional_escape(table.table_id)}">\n',
        f'      <thead><tr><th scope="col">{conditional_escape(table.label_header)}</th>',
        head,
        "</tr></thead>\n      <tbody>\n",
    ]
    if table.rows:
        cell_html = _cell_writer(number)
        for row in table.rows:
            parts.append(f'      <tr><th scope="row">{conditional_escape(row.label)}</th>')
            parts.extend(cell_html(cell) for cell in row.cells)
            parts.append("</tr>\n")
    else:
        parts.append(
            f'      <tr><td colspan="{len(table.columns) + 1}" class="muted">'
            f"{conditional_escape(_('Nothing in this period.'))}</td></tr>\n"
        )
    parts.append("      </tbody>\n    </table>")
    return mark_safe("".join(parts))  # every value above is escaped


def _cell_writer(number: str):
    """A function writing one `<td>`, with the suppression marks of the current language and
    settings worked out once per table (and each distinct value localised once per table)."""
    k, museums = privacy.min_responses(), privacy.min_benchmark_museums()
    hidden_responses = format_html(
        '<td{}><abbr class="suppressed" title="{}">&lt;{}</abbr></td>',
        mark_safe(number),  # a constant
        _("Hidden: fewer than %(k)s responses") % {"k": k},
        k,
    )
    hidden_museums = format_html(
        '<td{}><abbr class="suppressed" title="{}">{}</abbr></td>',
        mark_safe(number),  # a constant
        _("Hidden: fewer than %(museums)s museums contribute") % {"museums": museums},
        NO_VALUE,
    )
    empty = f"<td{number}>{NO_VALUE}</td>"
    text = _localizer()
    written: dict = {}

    def cell_html(cell) -> str:
        if cell.hidden:
            return hidden_museums if cell.reason == "museums" else hidden_responses
        value = cell.value
        if value is None:
            return empty
        key = (type(value), value)
        found = written.get(key)
        if found is None:
            found = written[key] = f"<td{number}>{conditional_escape(text(value))}</td>"
        return found

    return cell_html


def _localizer():
    """`localize` for the current language, as the template wrote values: integers and floats
    without grouping are written by hand (the decimal separator looked up once), anything else
    goes through Django's `localize`."""
    if settings.USE_THOUSAND_SEPARATOR:
        return localize
    separator = get_format("DECIMAL_SEPARATOR")

    def text(value) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        if kind is float and math.isfinite(value):
            written = repr(value)
            if "e" not in written:
                return written.replace(".", separator)
        return localize(value)

    return text
