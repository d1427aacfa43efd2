"""The numbers of a dashboard table as HTML, written in Python in one pass: the template
language, writing a 36-month page's 800 or so cells one by one, took about half of the page
(the page's p95 target in docs/benchmarks.md). The markup is the one the template wrote.
"""

from django.utils.formats import localize
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
            label = conditional_escape(row.label)
            if row.url:
                label = f'<a href="{conditional_escape(row.url)}">{label}</a>'
            parts.append(f'      <tr><th scope="row">{label}</th>')
            parts.extend(cell_html(cell) for cell in row.cells)
            parts.append("</tr>\n")
    else:
        # Outside the f-string: xgettext does not look inside one.
        nothing = conditional_escape(_("Nothing in this period."))
        parts.append(
            f'      <tr><td colspan="{len(table.columns) + 1}" class="muted">{nothing}</td></tr>\n'
        )
    parts.append("      </tbody>\n    </table>")
    return mark_safe("".join(parts))  # every value above is escaped


def _cell_writer(number: str):
    """A function writing one `<td>`, with the suppression marks of the current language and
    settings worked out once per table."""
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

    hidden_holders = format_html(
        '<td{}><abbr class="suppressed" title="{}">&lt;{}</abbr></td>',
        mark_safe(number),  # a constant
        _("Hidden: fewer than %(k)s holders") % {"k": k},
        k,
    )
    hidden = {"museums": hidden_museums, "holders": hidden_holders}

    def cell_html(cell) -> str:
        if cell.hidden:
            return hidden.get(cell.reason, hidden_responses)
        value = NO_VALUE if cell.value is None else conditional_escape(localize(cell.value))
        return f"<td{number}>{value}</td>"

    return cell_html
