"""The coordinators' and duty officers' dashboard, the monthly report for the authorities, and the day sheet."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessLogEntry
from audit.services import access_log_record_many
from core.dates import EARLIEST, LATEST, DateOutOfRange, parse_day, parse_month
from reports.forms import PeriodForm
from reports.periods import PeriodKind, month_first, named_period
from reports.selectors import (
    arrivals_heatmap,
    cost_figures,
    live_figures,
    monthly_report,
    per_month,
    period_figures,
    staffing_figures,
    visits_per_day,
)
from reports.selectors.day_sheet import DaySheetReads, day_sheet
from reports.selectors.monthly import Version
from reports.services import daily_figures_follow_corrections
from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from visits.selectors.stock import stock_alerts

REPORT_PERMISSION = "reports.view_monthly_report"
DAY_SHEET_PERMISSION = "reports.view_day_sheet"


def _last_month(today: dt.date) -> dt.date:
    return month_first(month_first(today) - dt.timedelta(days=1))


@station_required("dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    form = PeriodForm(request.GET or None)
    period = form.chosen_period(today)
    # Corrected history first, so that the long-range charts agree with the reports (one query when none).
    daily_figures_follow_corrections(now=now)
    per_month_series = per_month(today)
    return render(
        request,
        "reports/dashboard.html",
        {
            "active_station": "dashboard",
            "form": form,
            "period": period,
            "period_kinds": PeriodKind.choices,
            "figures": period_figures(period, now=now),
            "live": live_figures(named_period(PeriodKind.TODAY, today), now) if period.includes(now) else None,
            "cost": cost_figures(period, today=today),
            "staffing": staffing_figures(period, now=now),
            "stock_alerts": stock_alerts(),
            "per_day": visits_per_day(today),
            "per_month": per_month_series.visits,
            "overdoses_per_month": per_month_series.overdoses,
            "heatmap": arrivals_heatmap(period, today),
            "report_month": period.first if period.is_month else _last_month(today),
            # A whole calendar year chosen: its annual report.
            "report_year": period.first.year if period.is_year else None,
            "now": now,
        },
    )


@permission_required(REPORT_PERMISSION)
def monthly_latest(request: HttpRequest) -> HttpResponse:
    """Last month's report, or the month asked for with ``?month=YYYY-MM``."""
    today = timezone.localdate()
    asked = request.GET.get("month", "")
    if asked:
        try:
            month = parse_month(asked)
        except DateOutOfRange as exc:
            messages.error(request, str(exc))
        except ValueError:
            messages.error(request, _("“%(month)s” is not a month; use the form YYYY-MM.") % {"month": asked[:20]})
        else:
            return redirect("reports:monthly", month=month)
    return redirect("reports:monthly", month=_last_month(today))


def _month_not_found(request: HttpRequest, message: str) -> HttpResponse:
    """The 404 page, saying why there is no report for the month (or sheet for the day) in the address."""
    return render(request, "404.html", {"message": message}, status=404)


def _asked_month(request: HttpRequest, month: str) -> dt.date | HttpResponse:
    """The month in the address (``2026-03``) as its first day, or the 404 page saying what is wrong."""
    try:
        first = parse_month(month)
        if first is None:  # nothing: the address converter lets no empty month through
            raise ValueError(month)
        return first
    except DateOutOfRange as exc:
        return _month_not_found(request, str(exc))
    except ValueError:
        return _month_not_found(request, _("“%(month)s” is not a month; use the form YYYY-MM.") % {"month": month})


def _version(request: HttpRequest) -> str:
    version = request.GET.get("version") or Version.INTERNAL
    if version not in Version.ALL:
        raise Http404("No such version of the report.")
    return version


@permission_required(REPORT_PERMISSION)
def monthly(request: HttpRequest, month: str) -> HttpResponse:
    first = _asked_month(request, month)
    if isinstance(first, HttpResponse):
        return first
    version = _version(request)
    now = timezone.now()
    daily_figures_follow_corrections(now=now)  # the month's hand-outs are read from the rollup
    report = monthly_report(first, now=now)
    return render(
        request,
        "reports/monthly.html",
        {
            "active_station": "dashboard",
            "report": report,
            "version": version,
            "external": version == Version.EXTERNAL,
            # No link to a month outside the dates the app works with: its address is a 404.
            "previous_month": _last_month(first) if first > EARLIEST else None,
            "next_month": month_first(report.period.last + dt.timedelta(days=1))
            if report.period.last < LATEST
            else None,
            "is_complete": report.period.end <= now,
            "is_future": now < report.period.start,
            "now": now,
        },
    )


@permission_required(REPORT_PERMISSION)
def monthly_csv(request: HttpRequest, month: str) -> HttpResponse:
    """The report as CSV: UTF-8 with a byte-order mark, so spreadsheets keep æ, ø and å; section, indicator, value."""
    first = _asked_month(request, month)
    if isinstance(first, HttpResponse):
        return first
    version = _version(request)
    external = version == Version.EXTERNAL
    now = timezone.now()
    daily_figures_follow_corrections(now=now)
    report = monthly_report(first, now=now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="monthly-report-{first:%Y-%m}-{version}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("section"), _("indicator"), _("value")])
    writer.writerow([_("Report"), _("Month"), f"{first:%Y-%m}"])
    writer.writerow(
        [
            _("Report"),
            _("Version"),
            _("external: counts from 1 to 9 as <10; : withheld so that none can be worked out")
            if external
            else _("internal: all counts"),
        ]
    )
    for section, indicator in report.rows():
        writer.writerow([section, indicator.label, indicator.text(external, localize=False)])
    return response


def _not_a_day(value: str) -> str:
    return _("“%(value)s” is not a date; use the form YYYY-MM-DD.") % {"value": value[:20]}


def _render_day_sheet(request: StaffRequest, day: dt.date, *, status: int = 200) -> HttpResponse:
    now = timezone.now()
    daily_figures_follow_corrections(now=now)
    sheet = day_sheet(day, now=now, reads=DaySheetReads.of(request.user))
    # The sheet names clients beside what happened to them: printing it is a view of each one's record.
    access_log_record_many(request=request, clients=sheet.clients(), kind=AccessLogEntry.Kind.DAY_SHEET)
    return render(
        request,
        "reports/day_sheet.html",
        {
            "active_station": "day_sheet",
            "sheet": sheet,
            "today": timezone.localdate(now),
            # No link to a day outside the dates the app works with: its address is a 404.
            "previous_day": day - dt.timedelta(days=1) if day > EARLIEST else None,
            "next_day": day + dt.timedelta(days=1) if day < LATEST else None,
            "earliest": EARLIEST,
            "latest": LATEST,
            "now": now,
        },
        status=status,
    )


@permission_required(DAY_SHEET_PERMISSION)
def day_sheet_today(request: StaffRequest) -> HttpResponse:
    """Today's sheet; the date picker's ``?date=YYYY-MM-DD`` goes on to that day's address.

    A date that is no good answers 400 with today's sheet and a message saying what was wrong.
    """
    today = timezone.localdate()
    asked = request.GET.get("date", "")
    if asked:
        try:
            day = parse_day(asked)
        except DateOutOfRange as exc:
            messages.error(request, str(exc))
        except ValueError:
            messages.error(request, _not_a_day(asked))
        else:
            return redirect("reports:day-sheet", day=day)
        return _render_day_sheet(request, today, status=400)
    return _render_day_sheet(request, today)


@permission_required(DAY_SHEET_PERMISSION)
def day_sheet_view(request: StaffRequest, day: str) -> HttpResponse:
    """The sheet of the day in the address; a day that does not exist or lies outside the range is a 404
    page saying why."""
    try:
        chosen = parse_day(day)
        if chosen is None:  # nothing: the address converter lets no empty day through
            raise ValueError(day)
    except DateOutOfRange as exc:
        return _month_not_found(request, str(exc))
    except ValueError:
        return _month_not_found(request, _not_a_day(day))
    return _render_day_sheet(request, chosen)
