from __future__ import annotations

from django.contrib import admin

from reports.models import AnnualBudget


@admin.register(AnnualBudget)
class AnnualBudgetAdmin(admin.ModelAdmin):
    list_display = ("year", "amount_nok", "note")
    ordering = ("-year",)
