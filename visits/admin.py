from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.admin import LabelledListEditable
from core.forms import ClockTimeField, ClosingTimeField
from visits.models import (
    Booth,
    ClosedDay,
    EquipmentItem,
    Facility,
    OpeningHours,
    OpeningHoursPeriod,
    Room,
    Route,
    SpecialHours,
    Substance,
)
from visits.models.facility import clock


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "due_soon_minutes", "closing_warning_minutes")

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not Facility.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _HoursForm(forms.ModelForm):
    """Opening and closing typed as staff say them; a closing time of 24:00 is the end of the day."""

    opens = ClockTimeField(label=capfirst(_("opens")))
    closes = ClosingTimeField(label=capfirst(_("closes")), help_text=_("24:00 for the end of the day."))


class OpeningHoursForm(_HoursForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


class SpecialHoursForm(_HoursForm):
    class Meta:
        model = SpecialHours
        fields = ["date", "opens", "closes", "last_admission_minutes", "note"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    form = OpeningHoursForm
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


@admin.register(SpecialHours)
class SpecialHoursAdmin(admin.ModelAdmin):
    """Opening hours for one date (a short day before a holiday, a long day, all day); a closed day is a ClosedDay."""

    form = SpecialHoursForm
    list_display = ("date", "opening", "closing", "last_admission_minutes", "note")
    date_hierarchy = "date"

    @admin.display(description=_("opens"), ordering="opens")
    def opening(self, obj: SpecialHours) -> str:
        return clock(obj.opens)

    @admin.display(description=_("closes"), ordering="closes")
    def closing(self, obj: SpecialHours) -> str:
        return clock(obj.closes, closing=True)


@admin.register(Room)
class RoomAdmin(LabelledListEditable):
    list_display = ("name", "name_en", "kind", "capacity", "active", "position")
    list_editable = ("capacity", "active", "position")


@admin.register(Booth)
class BoothAdmin(LabelledListEditable):
    list_display = ("label", "room", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("room",)


@admin.register(Substance)
class SubstanceAdmin(LabelledListEditable):
    list_display = ("name", "name_en", "enabled", "position")
    list_editable = ("enabled", "position")


@admin.register(Route)
class RouteAdmin(LabelledListEditable):
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
class EquipmentItemAdmin(LabelledListEditable):
    list_display = ("name", "name_en", "unit", "default_kit_quantity", "enabled", "position")
    list_editable = ("default_kit_quantity", "enabled", "position")
