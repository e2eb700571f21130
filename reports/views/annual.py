"""The annual report: the year's page, its CSV, and the address that picks a year."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import EARLIEST, LATEST, out_of_range_message
from reports.selectors.annual import annual_report
from reports.selectors.monthly import Version
from reports.services import daily_figures_follow_corrections
from reports.views import REPORT_PERMISSION, _month_not_found, _version
from staff.permissions import permission_required


def last_complete_year(today: dt.date) -> int:
    return today.year - 1


def _not_a_year(value: str) -> str:
    return _("“%(year)s” is not a year; use the form YYYY.") % {"year": value[:20]}


def parse_year(value: str) -> int:
    """``2025`` as a year of the dates the app works with; ValueError with the message for staff otherwise."""
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise ValueError(_not_a_year(value))
    year = int(value)
    if not EARLIEST.year <= year <= LATEST.year:
        raise ValueError(out_of_range_message())
    return year


@permission_required(REPORT_PERMISSION)
def annual_latest(request: HttpRequest) -> HttpResponse:
    """The last complete year's report, or the year asked for with ``?year=YYYY``."""
    asked = request.GET.get("year", "").strip()
    if asked:
        try:
            return redirect("reports:annual", year=parse_year(asked))
        except ValueError as exc:
            messages.error(request, str(exc))
    return redirect("reports:annual", year=last_complete_year(timezone.localdate()))


def _asked_year(request: HttpRequest, year: str) -> int | HttpResponse:
    """The year in the address, or the 404 page saying what is wrong with it (``0000``, ``2101``)."""
    try:
        return parse_year(year)
    except ValueError as exc:
        return _month_not_found(request, str(exc))


@permission_required(REPORT_PERMISSION)
def annual(request: HttpRequest, year: str) -> HttpResponse:
    chosen = _asked_year(request, year)
    if isinstance(chosen, HttpResponse):
        return chosen
    version = _version(request)
    now = timezone.now()
    daily_figures_follow_corrections(now=now)  # the year's hand-outs and arrivals are read from the rollup
    report = annual_report(chosen, now=now)
    return render(
        request,
        "reports/annual.html",
        {
            "active_station": "dashboard",
            "report": report,
            "version": version,
            "external": version == Version.EXTERNAL,
            # No link to a year outside the dates the app works with: its address is a 404.
            "previous_year": chosen - 1 if chosen > EARLIEST.year else None,
            "next_year": chosen + 1 if chosen < LATEST.year else None,
            "is_complete": report.period.end <= now,
            "is_future": now < report.period.start,
            "now": now,
        },
    )


@permission_required(REPORT_PERMISSION)
def annual_csv(request: HttpRequest, year: str) -> HttpResponse:
    """The report as the monthly report's CSV (UTF-8 with a byte-order mark; section, indicator, value),
    with the previous year and the change; the month table follows as rows, a section per month."""
    chosen = _asked_year(request, year)
    if isinstance(chosen, HttpResponse):
        return chosen
    version = _version(request)
    external = version == Version.EXTERNAL
    now = timezone.now()
    daily_figures_follow_corrections(now=now)
    report = annual_report(chosen, now=now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{chosen:04d}-{version}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("section"), _("indicator"), _("value"), _("previous year"), _("change"), _("change (per cent)")])
    writer.writerow([_("Report"), _("Year"), f"{chosen:04d}", f"{chosen - 1:04d}", "", ""])
    writer.writerow(
        [
            _("Report"),
            _("Version"),
            _("external: counts from 1 to 9 as <10; : withheld so that none can be worked out")
            if external
            else _("internal: all counts"),
            "",
            "",
            "",
        ]
    )
    for section, row in report.rows():
        writer.writerow(
            [
                section,
                row.label,
                row.current.text(external, localize=False) if row.current else "",
                row.previous.text(external, localize=False) if row.previous else "",
                row.change(external, localize=False),
                row.change_percent(external, localize=False),
            ]
        )
    for month in report.months:
        title = _("Month %(month)s") % {"month": f"{month.month:%Y-%m}"}
        for label, cell in zip(report.month_labels, month.cells, strict=True):
            writer.writerow([title, label, cell.text(external, localize=False), "", "", ""])
    return response
