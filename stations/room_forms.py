"""Forms of the injection room, the observation room, the floor board and the close-out: they only validate.

The boards lay these forms out by hand, compactly, because the board is re-sent every few seconds
and must stay small; the services do the writing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.days import local_moment
from core.forms import ReadOnceModelChoiceField
from visits.models import Booth, EquipmentItem, ObservationCheck, Route, Substance, Visit
from visits.selectors.settings import active_booths, enabled_routes, enabled_substances
from visits.services.contacts import MAX_QUANTITY
from visits.services.rooms import BOOTH_END_TO, CLOSE_OUT_REASONS, MOVABLE, RELEASE_TO

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _choices(values) -> list[tuple[str, StrOrPromise]]:
    return [(value, label) for value, label in Visit.Location.choices if value in values]


class BoothAssignForm(forms.Form):
    """The booth, route and substance are checked against the settings the process keeps in memory."""

    booth = ReadOnceModelChoiceField(
        label=_("Booth"),
        queryset=Booth.objects.filter(active=True),
        required=False,
        empty_label=_("Next free booth"),
    )
    route = ReadOnceModelChoiceField(
        label=_("Route"),
        queryset=Route.objects.filter(enabled=True),
        error_messages={"invalid_choice": _("That route is not allowed here.")},
    )
    substance = ReadOnceModelChoiceField(
        label=_("Substance"),
        queryset=Substance.objects.filter(enabled=True),
        error_messages={"invalid_choice": _("That substance may not be used here.")},
    )
    started_at = forms.TimeField(label=_("Started at"), required=False, input_formats=["%H:%M", "%H:%M:%S"])
    kit = forms.BooleanField(label=_("Hand out the default kit"), required=False)
    # "Assign anyway": sent by the question asked when booth time and observation would run past closing.
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(ReadOnceModelChoiceField, self.fields["booth"]).use_objects(active_booths())
        cast(ReadOnceModelChoiceField, self.fields["route"]).use_objects(enabled_routes())
        cast(ReadOnceModelChoiceField, self.fields["substance"]).use_objects(enabled_substances())

    def started_at_datetime(self, now: dt.datetime) -> dt.datetime | None:
        """The start time typed, on today's date in the facility's time zone; None means now."""
        time = self.cleaned_data.get("started_at")
        if time is None:
            return None
        day = timezone.localdate(now)
        return local_moment(day, time)

    def values(self) -> dict[str, str]:
        """What was chosen, as the fields of the form that asks to confirm it: "" for a field left empty."""
        data = self.cleaned_data
        started_at = data.get("started_at")
        return {
            "booth": str(data["booth"].pk) if data.get("booth") else "",
            "route": str(data["route"].pk),
            "substance": str(data["substance"].pk),
            "started_at": started_at.strftime("%H:%M") if started_at else "",
            "kit": "1" if data.get("kit") else "",
        }


class BoothEndForm(forms.Form):
    next_location = forms.ChoiceField(label=_("Afterwards"), choices=_choices(BOOTH_END_TO))


class CheckForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=ObservationCheck.State.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReleaseForm(forms.Form):
    next_location = forms.ChoiceField(
        label=_("Afterwards"), choices=_choices(RELEASE_TO), required=False, initial=Visit.Location.GONE
    )
    reason = forms.CharField(label=_("Reason for an early release"), max_length=500, required=False)

    def clean_next_location(self) -> str:
        return self.cleaned_data["next_location"] or Visit.Location.GONE


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=_choices(MOVABLE))


class CheckOutForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class CloseOutForm(forms.Form):
    """A visit closed at close-out, or all of them: the reason, and a note ("other" needs one)."""

    reason = forms.TypedChoiceField(
        label=_("Reason"),
        choices=[(reason.value, reason.label) for reason in CLOSE_OUT_REASONS],
        error_messages={
            "required": _("Choose a reason for closing the visit."),
            "invalid_choice": _("Choose a reason for closing the visit."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    # The visits the page listed: "close all" closes those, never one checked in since.
    visits = forms.CharField(required=False)

    def clean_visits(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["visits"].split(",") if pk.strip().isdigit()][:1000]


class HandOutForm(forms.Form):
    """The default kit in one click (``kit``), or a quantity per item (``qty_<item id>``)."""

    kit = forms.BooleanField(required=False)

    def __init__(self, *args, items: list[EquipmentItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                label=item.label, min_value=0, max_value=MAX_QUANTITY, required=False
            )

    def quantities(self) -> dict[EquipmentItem, int]:
        if self.cleaned_data.get("kit"):
            return default_kit(self.items)
        return {item: self.cleaned_data.get(f"qty_{item.pk}") or 0 for item in self.items}


def default_kit(items: list[EquipmentItem]) -> dict[EquipmentItem, int]:
    return {item: item.default_kit_quantity for item in items if item.enabled and item.default_kit_quantity}


def error_text(form: forms.Form) -> str:
    """A form's errors as one sentence-per-error line for the board's message."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)
