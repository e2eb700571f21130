import datetime as dt

from django.urls import path, register_converter

from core.dates import parse_month
from reports import views


class MonthConverter:
    """``2017-03`` in the address, the first of that month in the view.

    A month that does not exist (``2026-13``) or lies outside the dates the app works with (``9999-12``,
    ``0001-01``: core.dates) is a 404: the ValueError makes the pattern not match.
    """

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return parse_month(value)

    def to_url(self, value: dt.date) -> str:
        return f"{value.year:04d}-{value.month:02d}"


register_converter(MonthConverter, "month")

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.monthly_latest, name="index"),
    path("reports/monthly/", views.monthly_latest, name="monthly-latest"),
    path("reports/monthly/<month:month>/", views.monthly, name="monthly"),
    path("reports/monthly/<month:month>/csv/", views.monthly_csv, name="monthly-csv"),
]
