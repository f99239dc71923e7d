"""Reading tables back out of pages and downloads, to compare them cell by cell."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from html.parser import HTMLParser

from openpyxl import load_workbook


class _Tables(HTMLParser):
    """Every <table>'s header and body rows as text, rowspans copied into the rows below."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row = self._cell = None
        self._spans: dict[int, list] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
            self._spans = {}
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._fill_spans()
            self._cell = {"text": "", "rowspan": int(dict(attrs).get("rowspan", 1))}

    def _fill_spans(self):
        while len(self._row) in self._spans:
            col = len(self._row)
            text, left = self._spans[col]
            self._row.append(text)
            if left == 1:
                del self._spans[col]
            else:
                self._spans[col] = [text, left - 1]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join(self._cell["text"].split())
            if self._cell["rowspan"] > 1:
                self._spans[len(self._row)] = [text, self._cell["rowspan"] - 1]
            self._row.append(text)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._fill_spans()
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def html_tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def xlsx_sheets(content: bytes) -> dict[str, list[list[str]]]:
    wb = load_workbook(io.BytesIO(content))
    return {
        ws.title: [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in wb.worksheets
    }


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))
