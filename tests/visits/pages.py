"""Reading a page as a person does: its visible text, a marked element's text, a form as it would be sent.

Visible text is compared with the bokmål of the English source (``tests.helpers.nb``), so the tests
keep passing once the catalogue has the translations.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Tags that start a new line or cell on screen: their text never runs into the next.
_BREAKS = {
    "br",
    "div",
    "p",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "nav",
    "main",
    "header",
    "footer",
    "form",
    "fieldset",
    "legend",
    "label",
    "button",
    "option",
    "select",
    "textarea",
    "details",
    "summary",
    "title",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Text(HTMLParser):
    """The text of the page, or of the elements carrying ``data-testid=testid`` when one is given."""

    def __init__(self, testid: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.depth = 0  # open elements inside a wanted one
        self.skip = 0
        self.parts: list[str] = []
        self.found: list[list[str]] = []

    def _break(self, tag):
        if tag in _BREAKS:
            self.handle_data(" ")

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self._break(tag)
        if tag in _VOID:
            return
        if self.depth:
            self.depth += 1
        elif self.testid is not None and dict(attrs).get("data-testid") == self.testid:
            self.depth = 1
            self.found.append([])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        self._break(tag)
        if tag in _VOID:
            return
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.skip:
            return
        if self.testid is None:
            self.parts.append(data)
        elif self.depth:
            self.found[-1].append(data)


def text_of(content: bytes | str) -> str:
    """The page's text with whitespace squashed, as a person reads it."""
    parser = _Text()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return _squash("".join(parser.parts))


def marked_texts(content: bytes | str, testid: str) -> list[str]:
    """The text of each element marked ``data-testid=testid``."""
    parser = _Text(testid)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return [_squash("".join(parts)) for parts in parser.found]


def marked_text(content: bytes | str, testid: str) -> str:
    found = marked_texts(content, testid)
    assert len(found) == 1, f"expected one element with data-testid={testid!r}, found {len(found)}"
    return found[0]


class _Form(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self.names: set[str] = set()
        self.select: str | None = None
        self.select_options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.textarea_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("action") or "") == self.action and not self.found:
            self.inside = self.found = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if name:
            self.names.add(name)
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
            else:
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self.select, self.select_options = name, []
        elif tag == "option" and self.select:
            self.select_options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea" and name:
            self.textarea, self.textarea_text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.select_options if selected] or [
                value for value, _ in self.select_options[:1]
            ]
            self.fields.extend((self.select, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.textarea_text).lstrip("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea_text.append(data)


def form_values(content: bytes | str, action: str) -> dict[str, str | list[str]]:
    """What the browser sends when the form posting to ``action`` is submitted untouched.

    ``action=""`` is the first form that posts back to the page itself (no action attribute).
    """
    parser = _Form(action)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    assert parser.found, f"no form posts to {action}"
    values: dict[str, str | list[str]] = {}
    for name, value in parser.fields:
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def form_field_names(content: bytes | str, action: str) -> set[str]:
    """The names of every field the form posting to ``action`` offers."""
    parser = _Form(action)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    assert parser.found, f"no form posts to {action}"
    return parser.names
