"""Reads of the dashboards and reports: every figure an aggregate over the event records."""

from reports.selectors.budget import cost_figures
from reports.selectors.charts import arrivals_heatmap, daily_counts, per_month, visits_per_day
from reports.selectors.figures import live_figures, period_figures
from reports.selectors.monthly import monthly_report
from reports.selectors.staffing import staffing_figures

__all__ = [
    "arrivals_heatmap",
    "cost_figures",
    "daily_counts",
    "live_figures",
    "monthly_report",
    "per_month",
    "period_figures",
    "staffing_figures",
    "visits_per_day",
]
