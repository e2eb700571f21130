from __future__ import annotations

from django.contrib import admin

from duty.models import StaffingMinimum


@admin.register(StaffingMinimum)
class StaffingMinimumAdmin(admin.ModelAdmin):
    list_display = ("role", "count", "weekday", "from_time", "until_time")
    list_editable = ("count",)
    list_filter = ("role", "weekday")
