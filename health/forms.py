from __future__ import annotations

import datetime as dt
from typing import cast

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import DATETIME_SECONDS, SecondsInput
from core.versioning import VersionedForm, VersionField
from counseling.models import ReferralService
from duty.selectors.roster import on_duty_now
from health.models import Emergency, HealthService, Intervention, VitalSigns
from staff.models import User
from visits import codes
from visits.models import Client, EquipmentItem


def _when(label, *, required=False):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=SecondsInput(),
        input_formats=[DATETIME_SECONDS, "%Y-%m-%dT%H:%M"],
    )


class ClientCodeField(forms.CharField):
    """A client code typed by staff, resolved to the client, with a clear error when unknown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Client code"))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        code = codes.normalise(value)
        if not code:
            if self.required:
                raise forms.ValidationError(_("Give the client's code."))
            return None
        client = Client.objects.filter(code=code).first()
        if client is None:
            raise forms.ValidationError(_("No client has the code %(code)s.") % {"code": code})
        return client


class OpenEmergencyForm(forms.Form):
    client = ClientCodeField()


class UnknownPersonEmergencyForm(forms.Form):
    """An emergency for a person with no client code: where, and what they look like. No names."""

    place = forms.ChoiceField(
        label=_("Where"),
        # Where someone without a code is most often found first; not a booth, which has a client in it.
        choices=[
            (place.value, place.label)
            for place in (
                Emergency.Place.OUTSIDE,
                Emergency.Place.RECEPTION,
                Emergency.Place.HEALTH,
                Emergency.Place.INTERVIEW,
                Emergency.Place.OBSERVATION,
                Emergency.Place.OTHER,
            )
        ],
        initial=Emergency.Place.OUTSIDE,
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label=_("Approximate age"),
        choices=[("", _("Not known")), *Emergency.AgeBand.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Not known")), *Emergency.Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description (no names)"),
        max_length=200,
        required=False,
        help_text=_("Clothes, hair, anything that tells who it is. Never a name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class LinkClientForm(forms.Form):
    """The client code found for a person an emergency was opened for as unknown."""

    client = ClientCodeField(label=_("Client code"))
    seen_version = VersionField()


def _dose_field(*, required: bool = True):
    return forms.DecimalField(
        label=_("Dose (mg)"), min_value=0.01, max_value=20, decimal_places=2, max_digits=5, required=required
    )


def _route_field(*, required: bool = True):
    return forms.ChoiceField(
        label=pgettext_lazy("naloxone", "Route"), choices=Intervention.Route.choices, required=required
    )


class InterventionForm(forms.Form):
    """One press of an intervention button. Route and dose count for naloxone only; the time may be earlier."""

    kind = forms.ChoiceField(
        choices=Intervention.Kind.choices,
        error_messages={"required": _("Choose an intervention."), "invalid_choice": _("Choose an intervention.")},
    )
    at = _when(_("Time done (empty: now)"))
    route = _route_field(required=False)
    dose_mg = _dose_field(required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_closed(closed)

    def show_closed(self, closed: bool) -> None:
        """The time's label for an emergency open or closed: a posted form is checked before the emergency is read."""
        if closed:
            self.fields["at"].label = _("Time done (between the start and the end)")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == Intervention.Kind.NALOXONE:
            if not data.get("route") and "route" not in self.errors:
                self.add_error("route", _("Give the naloxone route: intranasal or intramuscular."))
            if data.get("dose_mg") is None and "dose_mg" not in self.errors:
                self.add_error("dose_mg", _("Give the naloxone dose in mg."))
        else:
            # The naloxone fields are on the same form as the other buttons: ignored for them.
            for name in ("route", "dose_mg"):
                self.errors.pop(name, None)
            data["route"], data["dose_mg"] = "", None
        return data


class InterventionCorrectForm(forms.Form):
    """Correcting one intervention: its time, route and dose (naloxone), note, and why."""

    at = _when(_("Time done"), required=True)
    route = _route_field()
    dose_mg = _dose_field()
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=100,
        error_messages={"required": _("Give the reason for the correction.")},
    )
    seen_version = VersionField()

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != Intervention.Kind.NALOXONE:
            del self.fields["route"]
            del self.fields["dose_mg"]


class WithdrawForm(forms.Form):
    """Withdrawing an intervention or a set of vital signs entered by mistake: the reason is required."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=500,
        error_messages={"required": _("Give the reason for withdrawing it.")},
    )
    seen_version = VersionField(required=False)


class VitalSignsForm(forms.Form):
    at = _when(_("Time measured (empty: now)"))
    # Short labels: four fields side by side on a tablet.
    breathing_rate = forms.IntegerField(label=_("Breathing /min"), min_value=0, max_value=80, required=False)
    oxygen_saturation = forms.IntegerField(label=_("SpO₂ %"), min_value=0, max_value=100, required=False)
    pulse = forms.IntegerField(label=_("Pulse /min"), min_value=0, max_value=300, required=False)
    consciousness = forms.ChoiceField(
        label=_("AVPU"), choices=[("", "—"), *VitalSigns.Consciousness.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if closed:
            self.fields["at"].label = _("Time measured (between the start and the end)")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        measures = ("breathing_rate", "oxygen_saturation", "pulse", "consciousness")
        if not self.errors and all(data.get(name) in (None, "") for name in measures):
            raise forms.ValidationError(
                _("Give at least one value: breathing rate, oxygen saturation, pulse or consciousness."), code="empty"
            )
        return data


class CloseEmergencyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Emergency.Outcome.choices, widget=forms.RadioSelect)


class EmergencyRecordForm(VersionedForm):
    """Completing or correcting the record afterwards."""

    kind = forms.ChoiceField(label=_("Type"), choices=Emergency.Kind.choices)
    place = forms.ChoiceField(label=_("Where"), choices=Emergency.Place.choices)
    signs = forms.MultipleChoiceField(
        label=_("Signs observed"), choices=Emergency.Sign.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    started_at = _when(_("Started"), required=True)
    ended_at = _when(_("Ended"))
    ambulance_called_at = _when(_("Ambulance called"))
    ambulance_arrived_at = _when(_("Ambulance arrived"))
    police_called_at = _when(_("Police called"))
    staff_involved = forms.ModelMultipleChoiceField(
        label=_("Staff involved"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    seen_version = VersionField()

    def __init__(self, *args, closed: bool = False, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        staff_involved = cast(forms.ModelChoiceField, self.fields["staff_involved"])
        staff_involved.queryset = User.objects.filter(is_active=True).order_by("username")
        # Those on the shift now are offered first; every other active account waits behind "others".
        # Anyone already recorded as involved stays in view too, so a tick is never hidden.
        self.on_duty = {a.user_id for a in on_duty_now(now or timezone.now()).assignments}
        recorded = {getattr(user, "pk", user) for user in self.initial.get("staff_involved", [])}
        if self.is_bound:
            recorded |= set(self["staff_involved"].value() or [])
        self.staff_first = self.on_duty | {int(pk) for pk in recorded if str(pk).isdigit()}
        if not closed:
            del self.fields["ended_at"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(Div("kind", css_class="col-md-6"), Div("place", css_class="col-md-6"), css_class="row"),
            InlineCheckboxes("signs"),
            Div(
                Div("started_at", css_class="col-md-6"),
                *([Div("ended_at", css_class="col-md-6")] if closed else []),
                Div("ambulance_called_at", css_class="col-md-6"),
                Div("ambulance_arrived_at", css_class="col-md-6"),
                Div("police_called_at", css_class="col-md-6"),
                css_class="row",
            ),
            Field("staff_involved", template="health/partials/_staff_involved_field.html"),
            "notes",
            "seen_version",
        )
        self.helper.add_input(Submit("save", _("Save the record")))


def _offer_answer_field():
    return forms.NullBooleanField(
        label=_("Offer accepted"),
        required=False,
        widget=forms.RadioSelect(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )


class HealthServicesForm(forms.Form):
    """Every service given to a client, ticked in one form, with the details those ticked need.

    The token names this submit: sent twice (a double click, a reload), it is recorded once.
    """

    client = ClientCodeField()
    kinds = forms.MultipleChoiceField(
        label=_("Services given"),
        choices=HealthService.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service given.")},
    )
    site = forms.CharField(label=_("Body site"), max_length=100, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *HealthService.Severity.choices], required=False
    )
    treatment = forms.CharField(
        label=_("Treatment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    test_condition = forms.ChoiceField(
        label=_("Test for"), choices=[("", "—"), *HealthService.Condition.choices], required=False
    )
    test_accepted = _offer_answer_field()
    vaccination_condition = forms.ChoiceField(
        label=_("Vaccine for"), choices=[("", "—"), *HealthService.Condition.choices], required=False
    )
    vaccination_accepted = _offer_answer_field()
    referral_service = forms.ModelChoiceField(
        label=_("Refer to"), queryset=ReferralService.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        referral_service = cast(forms.ModelChoiceField, self.fields["referral_service"])
        referral_service.queryset = ReferralService.objects.filter(enabled=True)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(Div("client", css_class="col-md-4"), css_class="row"),
            "kinds",
            Fieldset(
                _("Wound or abscess care"),
                Div(Div("site", css_class="col-md-6"), Div("severity", css_class="col-md-6"), css_class="row"),
                "treatment",
            ),
            Fieldset(
                _("Offer of testing"),
                Div(
                    Div("test_condition", css_class="col-md-6"),
                    Div(InlineRadios("test_accepted"), css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Offer of vaccination"),
                Div(
                    Div("vaccination_condition", css_class="col-md-6"),
                    Div(InlineRadios("vaccination_accepted"), css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Referral to a doctor"), "referral_service"),
            "note",
            "token",
        )
        self.helper.add_input(Submit("save", _("Record"), css_class="btn-lg"))


class DeliveryForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=EquipmentItem.objects.filter(enabled=True))
    quantity = forms.IntegerField(label=_("Quantity delivered"), min_value=1, max_value=100_000)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CountForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=EquipmentItem.objects.filter(enabled=True))
    counted = forms.IntegerField(label=_("Counted in stock"), min_value=0, max_value=100_000)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class StocktakeForm(forms.Form):
    """Every item's count in one form: blank where an item was not counted this time, one reason for all.

    The token names this stocktake: a second submit of the same form is recognised, not counted twice.
    """

    token = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("For example: weekly count."))

    def __init__(self, *args, items: list[EquipmentItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[self.field_name(item)] = forms.IntegerField(
                label=item.label, required=False, min_value=0, max_value=100_000
            )

    @staticmethod
    def field_name(item: EquipmentItem) -> str:
        return f"count_{item.pk}"

    def counts(self) -> dict[EquipmentItem, int]:
        """The items counted (their field not blank), with what was counted."""
        found = {item: self.cleaned_data.get(self.field_name(item)) for item in self.items}
        return {item: counted for item, counted in found.items() if counted is not None}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.counts():
            raise forms.ValidationError(_("Enter the count of at least one item."), code="nothing_counted")
        return cleaned
