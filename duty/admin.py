from __future__ import annotations

from django.contrib import admin

from core.admin import LabelledListEditable
from duty.models import StaffingMinimum


@admin.register(StaffingMinimum)
class StaffingMinimumAdmin(LabelledListEditable):
    list_display = ("role", "count", "weekday", "from_time", "until_time")
    list_editable = ("count",)
    list_filter = ("role", "weekday")
