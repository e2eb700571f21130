"""The facility's settings: everything an administrator may change without a release."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.settings_models import FacilitySetting
from core.translated import TranslatedName
from core.weekdays import Weekday


def new_settings_version() -> str:
    import uuid

    return uuid.uuid4().hex


class Facility(models.Model):
    """The facility itself, one row: its name and owner for the header, and floor-wide settings."""

    name = models.CharField(_("name"), max_length=150)
    owner = models.CharField(_("owner"), max_length=250, blank=True)
    due_soon_minutes = models.PositiveSmallIntegerField(
        _("timer 'due soon' warning (minutes before the limit)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    closing_warning_minutes = models.PositiveSmallIntegerField(
        _("closing warning (minutes before closing)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("From this long before closing, every station shows the time left."),
    )
    # Replaced on every change of a setting, so that each process knows to read them again
    # (visits/selectors/settings.py).
    settings_version = models.CharField(max_length=32, default=new_settings_version, editable=False)

    # Logged but not cached: its own ``save`` replaces the settings token.
    facility_setting = FacilitySetting.LOGGED

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facility")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="facility_is_single_row")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        self.settings_version = new_settings_version()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "settings_version"}
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Facility | None:
        return cls.objects.filter(pk=1).first()


class OpeningHoursPeriod(models.Model):
    """Opening hours that take effect from a date and last until the next period starts."""

    valid_from = models.DateField(_("valid from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    last_admission_minutes = models.PositiveSmallIntegerField(
        _("last admission (minutes before closing)"),
        default=30,
        validators=[MaxValueValidator(600)],
    )

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("opening hours period")
        verbose_name_plural = _("opening hours periods")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return _("Opening hours from %(date)s") % {"date": self.valid_from.isoformat()}


# A closing time of 00:00 is the end of the day, 24:00: an opening never ends when it starts, so the
# database's "closes after it opens" lets this one value through. ``core.days.local_closing`` reads it.
END_OF_DAY = dt.time(0, 0)


def clock(time: dt.time, *, closing: bool = False) -> str:
    """A time as staff read it, 24-hour; a closing time of 00:00 is 24:00."""
    return "24:00" if closing and time == END_OF_DAY else f"{time:%H:%M}"


def _closes_after_opens(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(closes__gt=F("opens")) | Q(closes=END_OF_DAY),
        name=name,
        violation_error_message=_("The closing time must be after the opening time. Write 24:00 for midnight."),
    )


class OpeningHours(models.Model):
    """One weekday's hours within a period. A weekday without a row is a closed day.

    ``closes`` 00:00 means 24:00, the end of the day.
    """

    period = models.ForeignKey(OpeningHoursPeriod, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["period", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["period", "weekday"], name="one_opening_hours_per_weekday"),
            _closes_after_opens("opening_hours_close_after_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{clock(self.closes, closing=True)}"


class ClosedDay(models.Model):
    """A date the facility is closed whatever the weekday's hours say (a holiday, say)."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.reason}".strip()

    def clean(self) -> None:
        if self.date and SpecialHours.objects.filter(date=self.date).exists():
            raise ValidationError(
                {"date": _("This date has special opening hours. Delete them first to close the facility that day.")}
            )


class SpecialHours(models.Model):
    """Opening hours for one date in place of the week's: a short day before a holiday, a long day, all day.

    A closed day on the same date wins (and the admin refuses to add both). ``closes`` 00:00 means
    24:00; 00:00 to 24:00 is open all day.
    """

    date = models.DateField(_("date"), unique=True)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("24:00 for the end of the day."))
    last_admission_minutes = models.PositiveSmallIntegerField(
        _("last admission (minutes before closing)"),
        default=30,
        validators=[MaxValueValidator(600)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Shown at reception."))

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("special opening hours for a date")
        verbose_name_plural = _("special opening hours for dates")
        ordering = ["date"]
        constraints = [_closes_after_opens("special_hours_close_after_open")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.opens:%H:%M}-{clock(self.closes, closing=True)} {self.note}".strip()

    def clean(self) -> None:
        if self.date and ClosedDay.objects.filter(date=self.date).exists():
            raise ValidationError(
                {"date": _("This date is a closed day. Delete the closed day first to open with special hours.")}
            )


class Room(TranslatedName):
    """A room of the facility. The kind ties it to a station; capacity bounds how many it holds."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Reception (forward meeting room)")
        WAITING = "waiting", _("Waiting room")
        INTERVIEW = "interview", _("Interview room")
        HEALTH = "health", _("Health room")
        INJECTION = "injection", _("Injection room")
        INHALATION = "inhalation", _("Inhalation room")
        OBSERVATION = "observation", _("Observation room")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), default=1)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["position", "pk"]


class Booth(models.Model):
    """A screened place in a consumption room where one client at a time uses."""

    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        related_name="booths",
        limit_choices_to={"kind__in": [Room.Kind.INJECTION, Room.Kind.INHALATION]},
        verbose_name=_("room"),
    )
    label = models.CharField(_("label"), max_length=20)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["room__position", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="booth_label_unique_in_room")]

    def __str__(self) -> str:
        return _("Booth %(label)s") % {"label": self.label}


class Substance(TranslatedName):
    """A substance clients bring. Only enabled substances may be used on site."""

    enabled = models.BooleanField(_("allowed"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("substance")
        verbose_name_plural = _("substances")
        ordering = ["position", "pk"]


class Route(TranslatedName):
    """A route of use, with the booth time limit, the minimum observation time and the check interval."""

    enabled = models.BooleanField(_("allowed"), default=False)
    booth_time_limit_minutes = models.PositiveSmallIntegerField(
        _("booth time limit (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    min_observation_minutes = models.PositiveSmallIntegerField(
        _("minimum observation time (minutes)"), default=15, validators=[MaxValueValidator(240)]
    )
    # Copied onto each booth session and observation as it starts (like the limits above), so that a
    # change here does not move the check clock of anyone already in a booth or in observation.
    check_interval_minutes = models.PositiveSmallIntegerField(
        _("check interval (minutes)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How often someone in a booth or in observation is checked on."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("route of use")
        verbose_name_plural = _("routes of use")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(booth_time_limit_minutes__gte=1), name="route_booth_limit_positive"),
            models.CheckConstraint(
                condition=Q(check_interval_minutes__gte=1, check_interval_minutes__lte=60),
                name="route_check_interval_1_to_60",
            ),
        ]


class EquipmentItem(TranslatedName):
    """An item handed out (syringes, needles, swabs ...); the default kit is what one click hands out."""

    class Unit(models.TextChoices):
        PIECE = "piece", _("pcs")
        PACK = "pack", _("packs")
        PAIR = "pair", _("pairs")

    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    default_kit_quantity = models.PositiveSmallIntegerField(
        _("quantity in the default kit"), default=0, validators=[MaxValueValidator(100)]
    )
    enabled = models.BooleanField(_("handed out"), default=True)
    low_stock_threshold = models.PositiveIntegerField(
        _("low stock warning below"), default=0, help_text=_("0: no warning.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        ordering = ["position", "pk"]
