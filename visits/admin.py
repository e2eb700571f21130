from __future__ import annotations

from django.contrib import admin

from visits.models import (
    Booth,
    ClosedDay,
    EquipmentItem,
    Facility,
    OpeningHours,
    OpeningHoursPeriod,
    Room,
    Route,
    Substance,
)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "due_soon_minutes", "closing_warning_minutes")

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not Facility.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


@admin.register(OpeningHoursPeriod)
class OpeningHoursPeriodAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "last_admission_minutes", "note")
    inlines = [OpeningHoursInline]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "reason")
    date_hierarchy = "date"


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "capacity", "active", "position")
    list_editable = ("capacity", "active", "position")


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ("label", "room", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("room",)


@admin.register(Substance)
class SubstanceAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "enabled", "position")
    list_editable = ("enabled", "position")


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "name_en",
        "enabled",
        "booth_time_limit_minutes",
        "min_observation_minutes",
        "check_interval_minutes",
        "position",
    )
    list_editable = (
        "enabled",
        "booth_time_limit_minutes",
        "min_observation_minutes",
        "check_interval_minutes",
        "position",
    )


@admin.register(EquipmentItem)
class EquipmentItemAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "unit", "default_kit_quantity", "enabled", "position")
    list_editable = ("default_kit_quantity", "enabled", "position")
