"""Every page of the site, found by walking the URL resolver, each with a sample address that resolves.

A page added later is found without being listed anywhere. ``PAGES`` is every page; ``REACHABLE`` leaves
out the few whose sample address another page answers first (staff.matrix.SHADOWED).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as c  # private, but the one parser of Python's regexes
from re import _parser

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from reports.urls import DayConverter, MonthConverter

SAMPLES = {
    IntConverter: "1",
    StringConverter: "X",
    SlugConverter: "x",
    UUIDConverter: "00000000-0000-4000-8000-000000000001",
    PathConverter: "1",
    MonthConverter: "2026-03",
    DayConverter: "2026-03-10",
}
_CONVERTER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name", or "" for an unnamed pattern
    url: str
    callback: object


def _route_sample(pattern: RoutePattern) -> str:
    def sample(match: re.Match) -> str:
        converter = pattern.converters[match.group("name")]
        if type(converter) not in SAMPLES:
            raise LookupError(f"No sample value for {type(converter).__name__} in {pattern}; add one to SAMPLES.")
        return SAMPLES[type(converter)]

    return _CONVERTER.sub(sample, str(pattern))


def _regex_sample(regex: str) -> str:
    """A short string ``regex`` matches: the first branch of each choice, each repeat once."""

    def emit(items) -> str:
        out = []
        for op, arg in items:
            if op is c.LITERAL:
                out.append(chr(arg))
            elif op is c.ANY:
                out.append("x")
            elif op is c.AT:
                continue
            elif op is c.BRANCH:
                out.append(emit(arg[1][0]))
            elif op is c.SUBPATTERN:
                out.append(emit(arg[-1]))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, _high, sub = arg
                out.append(emit(sub) * max(low, 1))
            elif op is c.IN:
                first_op, first_arg = arg[0]
                if first_op is c.LITERAL:
                    out.append(chr(first_arg))
                elif first_op is c.RANGE:
                    out.append(chr(first_arg[0]))
                elif first_op is c.CATEGORY and first_arg is c.CATEGORY_DIGIT:
                    out.append("1")
                else:
                    out.append("x")
            else:
                raise LookupError(f"Cannot make a sample URL for the regex {regex!r} ({op}).")
        return "".join(out)

    return emit(_parser.parse(regex))


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_sample(str(pattern))
    raise LookupError(f"Unknown pattern type {type(pattern).__name__}")


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Page]:
    for entry in patterns:
        url = prefix + _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, url, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Page(name=name, url="/" + url, callback=entry.callback)


PAGES = list(_walk(get_resolver().url_patterns))
REACHABLE = [page for page in PAGES if resolve(page.url).func is page.callback]
