"""Reading exports back as a spreadsheet would: CSV with its byte-order mark and separator,
XLSX with openpyxl (cells keep their types: a number is an int or a float)."""

import csv
import io

import openpyxl

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_csv(response, *, delimiter: str) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    text = content.decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_xlsx(response_or_bytes) -> list[list]:
    if isinstance(response_or_bytes, bytes):
        content = response_or_bytes
    else:
        assert response_or_bytes.status_code == 200
        assert response_or_bytes["Content-Type"] == XLSX_TYPE
        assert ".xlsx" in response_or_bytes["Content-Disposition"]
        content = response_or_bytes.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
