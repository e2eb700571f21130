import datetime as dt

from django.urls import path, register_converter

from reports import views


class MonthConverter:
    """``2017-03`` in the address, the first of that month in the view; a month that does not exist is a 404."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)  # ValueError (month 13) makes the pattern not match

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
