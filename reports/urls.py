import datetime as dt

from django.urls import path, register_converter

from reports import views
from reports.views import annual


class MonthConverter:
    """``2017-03`` in the address, passed to the view as text.

    The view reads it (reports.views.asked_month), so that a month that does not exist (``2026-13``) or
    lies outside the dates the app works with (``9999-12``, ``0001-01``: core.dates) answers a 404 page
    saying why, rather than a pattern that does not match and a bare "not found".
    """

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: dt.date | str) -> str:
        if isinstance(value, str):
            return value
        return f"{value.year:04d}-{value.month:02d}"


register_converter(MonthConverter, "month")


class DayConverter:
    """``2026-03-10`` in the address, passed to the view as text, read there as the month is (a day that
    does not exist, ``2026-02-30``, or lies outside the range answers a 404 page saying why)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: dt.date | str) -> str:
        if isinstance(value, str):
            return value
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


register_converter(DayConverter, "day")


class YearConverter:
    """``2025`` in the address, passed to the view as text and read there as the month is (``0000`` or a
    year outside the dates the app works with answers a 404 page saying why)."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: int | str) -> str:
        return value if isinstance(value, str) else f"{value:04d}"


register_converter(YearConverter, "year")

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.monthly_latest, name="index"),
    path("reports/monthly/", views.monthly_latest, name="monthly-latest"),
    path("reports/monthly/<month:month>/", views.monthly, name="monthly"),
    path("reports/monthly/<month:month>/csv/", views.monthly_csv, name="monthly-csv"),
    path("reports/annual/", annual.annual_latest, name="annual-latest"),
    path("reports/annual/<year:year>/", annual.annual, name="annual"),
    path("reports/annual/<year:year>/csv/", annual.annual_csv, name="annual-csv"),
    path("reports/day/", views.day_sheet_today, name="day-sheet-today"),
    path("reports/day/<day:day>/", views.day_sheet_view, name="day-sheet"),
]
