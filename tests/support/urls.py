"""Every page of the site, found by walking the URL resolver, each with a sample address that resolves.

A page added later is found without being listed anywhere. ``PAGES`` is every page; ``REACHABLE`` leaves
out the few whose sample address another page answers first (staff.matrix.SHADOWED). ``urls_to_open``
gives each page's real addresses: its path parameters filled with the ids of seeded records.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from re import _constants as c  # private, but the one parser of Python's regexes
from re import _parser

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from counseling.models import Referral
from duty.models import Handover, Shift
from health.models import Emergency, Intervention, VitalSigns
from reports.urls import DayConverter, MonthConverter, YearConverter
from visits.models import Ban, BoothSession, Client, Incident, Observation, Visit

SAMPLES = {
    IntConverter: "1",
    StringConverter: "X",
    SlugConverter: "x",
    UUIDConverter: "00000000-0000-4000-8000-000000000001",
    PathConverter: "1",
    MonthConverter: "2026-03",
    DayConverter: "2026-03-10",
    YearConverter: "2026",
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

# The model a path parameter names, by the path segment before it ("clients/<int:pk>/" is a client).
RECORD_BY_SEGMENT: dict[str, type[models.Model]] = {
    "clients": Client,
    "intake": Client,
    "bans": Ban,
    "visits": Visit,
    "booth-sessions": BoothSession,
    "observations": Observation,
    "referrals": Referral,
    "emergencies": Emergency,
    "interventions": Intervention,
    "vitals": VitalSigns,
    "shifts": Shift,
    "handovers": Handover,
    "incidents": Incident,
}
# Other path parameters: the values each page acts on.
# A stocktake's result shows counts of equipment, no client: any stocktake will do, one that is not there too.
VALUES_BY_PARAMETER = {
    "what": ["ambulance_arrived", "police"],
    "stocktake_id": ["00000000-0000-4000-8000-000000000000"],
}


def _admin_model(route: str) -> type[models.Model] | None:
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>", route)
    return apps.get_model(match.group(1), match.group(2)) if match else None


def _segment_before(route: str, parameter: str) -> str:
    match = re.search(rf"([\w-]+)/<(?:\w+:)?{parameter}>", route)
    return match.group(1) if match else ""


def urls_to_open(
    rows: Mapping[type[models.Model], list[models.Model]], display_token: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """(URL name, path) for every pattern, a path per record of ``rows`` (tests.support.scenes.records:
    ``Seed.rows``) for each id, and the undecided: the path parameters nothing fills."""
    out: list[tuple[str, str]] = []
    undecided = []
    for page in PAGES:
        match = resolve(page.url)
        if match.func is not page.callback:
            continue  # answered by another pattern (tests/staff/test_permission_matrix.py: SHADOWED)
        if not match.kwargs:
            out.append((page.name, page.url))
            continue
        choices: dict[str, list] = {}
        for parameter in match.kwargs:
            if parameter in VALUES_BY_PARAMETER:
                choices[parameter] = VALUES_BY_PARAMETER[parameter]
            elif parameter == "token":
                choices[parameter] = [display_token]
            elif parameter == "object_id" and (model := _admin_model(match.route)) is not None:
                # The admin holds no client-linked model: its first row, as the test database numbers it.
                first = model.objects.order_by("pk").first()
                choices[parameter] = [str(first.pk) if first else match.kwargs[parameter]]
            elif match.route.startswith("admin/") or parameter in ("year", "month", "day"):
                # The sample: the admin's other addresses; the year, month and day are the seed's (10 March 2026).
                choices[parameter] = [match.kwargs[parameter]]
            elif (model := RECORD_BY_SEGMENT.get(_segment_before(match.route, parameter))) is not None:
                choices[parameter] = [row.pk for row in rows.get(model, [])]
            else:
                undecided.append(f"{page.name} {match.route} <{parameter}>")
        if len(choices) < len(match.kwargs):
            continue
        for values in itertools.product(*choices.values()):
            kwargs = dict(zip(choices, values, strict=True))
            if match.route.startswith("admin/") and not page.name:
                path = page.url  # unnamed: the admin's catch-all
            else:
                path = reverse(page.name, kwargs=kwargs)
            out.append((page.name, path))
    return out, undecided
