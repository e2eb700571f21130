"""Reading a page as a person does: its visible text, a marked element's text, a form as it would be sent,
the navigation, the booth and observation cards; and logging in through the form.

Visible text is compared with the bokmål of the English source (``nb``), so the tests keep passing once
the catalogue has the translations.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.test import Client
from django.utils.translation import gettext, override

from tests.support.cast import PASSWORD

# The refusal of a save from a form opened before someone else's (core.versioning.StaleEdit).
STALE_EDIT = (
    "Someone else saved this record after you opened it. Nothing was saved: check what changed below and enter "
    "your change again."
)


def nb(text: str) -> str:
    """``text`` as a bokmål page shows it: the catalogue's translation, or the source until there is one."""
    with override("nb"):
        return gettext(text)


def t(msgid: str, **values: object) -> str:
    """A message as a bokmål page shows it, with its values filled in."""
    return nb(msgid) % values if values else nb(msgid)


def log_in(client: Client, username: str, password: str = PASSWORD):
    """Log in through the login form as a person does; the response is the page they end up on."""
    return client.post("/login/", {"username": username, "password": password}, follow=True)

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
    """The text of the one element marked ``data-testid=testid``; there must be exactly one."""
    found = marked_texts(content, testid)
    assert len(found) == 1, f"expected one element with data-testid={testid!r}, found {len(found)}"
    return found[0]


def marked_text_all(content: bytes | str, testid: str) -> str:
    """The text of every element marked ``data-testid=testid``, joined by " | "; empty when there is none."""
    return " | ".join(marked_texts(content, testid))


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


class _NavLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and "nav-link" in (attributes.get("class") or "").split():
            self.hrefs.append(attributes.get("href") or "")


def nav_hrefs(html: str) -> list[str]:
    """The addresses of the station links in the top navigation, in order."""
    parser = _NavLinks()
    parser.feed(html)
    return parser.hrefs


def html_lang(html: str) -> str | None:
    match = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", html)
    return match.group(1) if match else None


# The floor's cards ----------------------------------------------------------------------------------


def booth_name(label: str) -> str:
    return t("Booth %(label)s", label=label)


def cards(html: str) -> list[str]:
    """The booth and observation cards on a page, each as its HTML."""
    return [part.split("</article>")[0] for part in html.split("<article")[1:]]


def booth_card(html: str, label: str) -> str:
    return next(card for card in cards(html) if f">{booth_name(label)}</h3>" in card)


def observation_card(html: str, code: str) -> str:
    return next(card for card in cards(html) if 'data-testid="observation-card"' in card and code in card)


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</section>")[0]


class _Shown(HTMLParser):
    """The text of the element marked ``data-testid=testid`` as a browser shows it: nothing ``hidden``."""

    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.depth = 0  # open elements inside the wanted one
        self.hidden = 0  # open elements inside a hidden one, there
        self.found = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attributes = dict(attrs)
        if self.depth:
            self.depth += 1
            if self.hidden or "hidden" in attributes:
                self.hidden += 1
        elif attributes.get("data-testid") == self.testid:
            self.depth, self.found = 1, self.found + 1
            self.hidden = 1 if "hidden" in attributes else 0

    def handle_endtag(self, tag):
        if tag in _VOID or not self.depth:
            return
        self.depth -= 1
        if self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.parts.append(data)


def shown_text(content: bytes | str, testid: str) -> str:
    """The text a person sees of the element marked ``data-testid=testid``: "" when it is hidden or
    missing, and without its hidden parts (a banner drawn ahead, for the browser to show on time)."""
    parser = _Shown(testid)
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    assert parser.found <= 1, f"expected at most one element with data-testid={testid!r}, found {parser.found}"
    return _squash("".join(parser.parts))
