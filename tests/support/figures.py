"""What the reports' tests read off a page: figures marked ``data-figure``, embedded chart data, tables."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


class _Marked(HTMLParser):
    """Collects the text of each element carrying ``attribute``, by the attribute's value; cells separately."""

    def __init__(self, attribute: str) -> None:
        super().__init__()
        self.attribute = attribute
        self.open: list[tuple[str, str, int]] = []  # (value, tag, depth at which it opened)
        self.depth = 0
        self.text: dict[str, list[str]] = {}
        self.cells: dict[str, list[str]] = {}
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "input", "img", "meta", "link", "hr"}:
            return
        self.depth += 1
        value = dict(attrs).get(self.attribute)
        if value is not None:
            self.open.append((value, tag, self.depth))
            self.text[value] = []
            self.cells[value] = []
        if tag in {"td", "th"} and self.open:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self.cell is not None and self.open:
            self.cells[self.open[-1][0]].append(_squash("".join(self.cell)))
            self.cell = None
        if self.open and self.open[-1][2] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        for value, _tag, _depth in self.open:
            self.text[value].append(data)
        if self.cell is not None:
            self.cell.append(data)


def figures(html: str) -> dict[str, str]:
    """``{data-figure: its text}`` for every marked figure on the page."""
    parser = _Marked("data-figure")
    parser.feed(html)
    return {key: _squash("".join(parts)) for key, parts in parser.text.items()}


def figure_cells(html: str) -> dict[str, list[str]]:
    """``{data-figure: [cell texts]}`` for marked table rows."""
    parser = _Marked("data-figure")
    parser.feed(html)
    return parser.cells


def number(text: str) -> int:
    """The whole number a figure shows, whatever the grouping: "1 125 000 kr" -> 1125000."""
    digits = re.sub(r"[^\d-]", "", text.split(",")[0])
    return int(digits)


def chart_data(html: str, element_id: str) -> dict:
    """The JSON a chart is drawn from, as ``json_script`` embedded it."""
    match = re.search(rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no embedded data with id {element_id}"
    return json.loads(match.group(1))


def marked_rows(html: str, testid: str) -> list[list[str]]:
    """The rows (lists of cell texts) of the table marked ``data-testid=testid``."""
    parser = _Rows(testid)
    parser.feed(html)
    return parser.rows


class _Rows(HTMLParser):
    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid = testid
        self.inside = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("data-testid") == self.testid:
            self.inside = 1
        elif tag == "table" and self.inside:
            self.inside += 1
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self.cell = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append(_squash("".join(self.cell)))
            self.cell = None
        elif tag == "table":
            self.inside -= 1

    def handle_data(self, data):
        if self.inside and self.cell is not None:
            self.cell.append(data)
