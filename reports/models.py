"""The annual budget, a facility setting, and the daily rollup the long-range charts read."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.settings_models import FacilitySetting


class AnnualBudget(models.Model):
    """The facility's budget for one calendar year; the dashboard divides it by the year's visits and clients."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount_nok = models.PositiveBigIntegerField(_("budget (NOK)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    facility_setting = FacilitySetting.LOGGED

    class Meta:
        verbose_name = _("annual budget")
        verbose_name_plural = _("annual budgets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount_nok:,} NOK".replace(",", " ")


class DailyFigures(models.Model):
    """One local (Europe/Oslo) day's counts, computed from the event records by ``manage.py rollup_daily``.

    The charts over all years, the hand-outs of a period and the arrivals by weekday and hour read it, so
    that they need not scan every record of a year on each load; the days since the last rollup, and
    always yesterday and today, are counted live from the records.
    Recomputing a day replaces its row, so the command may run as often as wanted.
    """

    date = models.DateField(_("date"), primary_key=True)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    unique_clients = models.PositiveIntegerField(_("unique clients"), default=0)
    new_registrations = models.PositiveIntegerField(_("new registrations"), default=0)
    refusals = models.PositiveIntegerField(_("refusals"), default=0)
    consumption_events = models.PositiveIntegerField(_("consumption events"), default=0)
    emergencies = models.PositiveIntegerField(_("emergencies"), default=0)
    overdoses = models.PositiveIntegerField(_("overdoses"), default=0)
    # What a period's report sums day by day: the quantity handed out of each equipment item
    # ({"item id": quantity}), and the check-ins in each local hour of the day (24 counts, 00 to 23).
    handed_out = models.JSONField(_("handed out"), default=dict)
    arrivals_by_hour = models.JSONField(_("arrivals by hour"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        ordering = ["date"]
        # The monthly report for the authorities is the coordinator's; the dashboard is staff.view_dashboard;
        # the printable day sheet is the duty officer's record of one day (reports.views.day_sheet).
        permissions = [
            ("view_monthly_report", _("Can see and download the monthly report")),
            ("view_day_sheet", _("Can see and print the day sheet")),
        ]

    def __str__(self) -> str:
        return self.date.isoformat()


class RollupMark(models.Model):
    """A UTC date on which a record the rollup counts was added, changed or removed: its days need counting again.

    Written by database triggers on the counted tables (reports migration 0003) in the writer's own
    transaction, whatever the write path: services, admin, ``queryset.update()``, deletes by cascade.
    One row a write, so that writers never wait on each other's mark; a recount deletes the rows it
    read and no others. The date is the UTC date, which SQLite can compute in a trigger;
    the moments of UTC date *d* fall on Oslo day *d* or *d* + 1, so both are counted again.
    ``reports.services.daily_figures_follow_corrections`` reads and clears the marks.
    """

    utc_date = models.DateField(_("date (UTC)"), db_index=True)

    class Meta:
        verbose_name = _("rollup mark")
        verbose_name_plural = _("rollup marks")

    def __str__(self) -> str:
        return self.utc_date.isoformat()
