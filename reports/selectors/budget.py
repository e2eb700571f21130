"""Cost per visit and per unique client, from the year's budget.

The budget is spread evenly over the year's days (pro rata by day): by the end of March a quarter of
it has been spent, and it is divided by the visits and clients so far. A whole past year divides the
whole budget. Dividing the full budget by the first weeks' visits would make January look absurdly
dear; the label on the page says how it is computed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from core.days import local_midnight
from reports.models import AnnualBudget
from reports.periods import Period
from visits.models import Visit


@dataclass(frozen=True)
class CostFigures:
    year: int
    through: dt.date
    budget_nok: int | None
    days_elapsed: int
    days_in_year: int
    visits: int
    unique_clients: int

    @property
    def budget_so_far(self) -> Decimal | None:
        if self.budget_nok is None:
            return None
        share = Decimal(self.budget_nok) * self.days_elapsed / self.days_in_year
        return share.quantize(Decimal("1"), ROUND_HALF_UP)

    def _per(self, count: int) -> Decimal | None:
        if self.budget_so_far is None or not count:
            return None
        return (self.budget_so_far / count).quantize(Decimal("1"), ROUND_HALF_UP)

    @property
    def per_visit(self) -> Decimal | None:
        return self._per(self.visits)

    @property
    def per_client(self) -> Decimal | None:
        return self._per(self.unique_clients)


def cost_figures(period: Period, *, today: dt.date) -> CostFigures:
    """The year of the period's last day (or of today, when the period runs on past it), up to that day."""
    through = min(period.last, today)
    year = through.year
    first = dt.date(year, 1, 1)
    totals = Visit.objects.filter(
        checked_in_at__gte=local_midnight(first), checked_in_at__lt=local_midnight(through + dt.timedelta(days=1))
    ).aggregate(visits=Count("*"), clients=Count("client", distinct=True))
    budget = AnnualBudget.objects.filter(year=year).values_list("amount_nok", flat=True).first()
    return CostFigures(
        year=year,
        through=through,
        budget_nok=budget,
        days_elapsed=(through - first).days + 1,
        days_in_year=366 if calendar.isleap(year) else 365,
        visits=totals["visits"],
        unique_clients=totals["clients"],
    )
