"""Forms of the duty records: shifts, handovers and security incidents."""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDateField
from core.days import local_moment
from core.forms import ClockTimeField
from core.versioning import VersionedForm, VersionField
from duty.models import FLOOR_ROLES, Shift
from duty.services.handover import clients_by_code
from staff.models import User
from staff.roles import GROUP_NAMES, Role
from visits import codes
from visits.models import Client, Incident, Room

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def _staff_label(user: User) -> str:
    return user.display_name


def floor_staff() -> QuerySet[User]:
    """Active accounts holding a role that works shifts, by name."""
    groups = [GROUP_NAMES[role] for role in FLOOR_ROLES]
    return (
        User.objects.filter(is_active=True, groups__name__in=groups)
        .distinct()
        .prefetch_related("groups")
        .order_by("first_name", "last_name", "username")
    )


def parse_client_codes(raw: str) -> list[Client]:
    """Client codes typed in one field, separated by commas or spaces; every one must be registered."""
    wanted = [codes.normalise(part) for part in CODE_SEPARATORS.split(raw or "")]
    try:
        return clients_by_code([code for code in wanted if code])
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None


class ShiftForm(VersionedForm):
    """A shift with its people in one form: times, the duty officer, and a role for each person working.

    Editing a planned shift (``versioned``) carries the version it was opened with, so that a change
    made meanwhile by another planner is refused instead of overwritten.
    """

    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = ClockTimeField(label=_("Starts"))
    ends = ClockTimeField(label=_("Ends"), help_text=_("An end before the start is the next day."))
    duty_officer = forms.ModelChoiceField(label=_("Duty officer"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    repeat = forms.TypedMultipleChoiceField(
        label=_("Same shift also on"),
        required=False,
        coerce=dt.date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
    )
    seen_version = VersionField()

    def __init__(self, *args, repeat_week: dt.date | None = None, versioned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not versioned:
            del self.fields["seen_version"]
        self.staff = list(floor_staff())
        officers = [user.pk for user in self.staff if Role.DUTY in user.roles]
        duty_officer = cast(forms.ModelChoiceField, self.fields["duty_officer"])
        duty_officer.queryset = User.objects.filter(pk__in=officers).order_by("first_name", "last_name", "username")
        duty_officer.label_from_instance = _staff_label  # type: ignore[method-assign,assignment]  # labels for this form only
        staff_rows = []
        for user in self.staff:
            roles = [role for role in FLOOR_ROLES if role in user.roles]
            name = f"role_{user.pk}"
            self.fields[name] = forms.ChoiceField(
                label=user.display_name,
                required=False,
                choices=[("", _("Not on this shift")), *[(role.value, role.label) for role in roles]],
            )
            staff_rows.append(Div(name, css_class="col-sm-6 col-xl-4"))
        if repeat_week is None:
            del self.fields["repeat"]
            repeat_layout = []
        else:
            days = [repeat_week + dt.timedelta(days=n) for n in range(7)]
            repeat = cast(forms.ChoiceField, self.fields["repeat"])
            repeat.choices = [(day.isoformat(), formats.date_format(day, "SHORT_WEEKDAY_DAY_FORMAT")) for day in days]
            repeat_layout = [InlineCheckboxes("repeat")]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("date", css_class="col-sm-4"),
                Div("starts", css_class="col-6 col-sm-4"),
                Div("ends", css_class="col-6 col-sm-4"),
                css_class="row",
            ),
            *repeat_layout,
            Div(Div("duty_officer", css_class="col-sm-6"), Div("note", css_class="col-sm-6"), css_class="row"),
            # Translated here: makemessages does not find {% translate %} inside a Python string.
            HTML(format_html('<h2 class="h6 mt-2">{}</h2>', _("Staff and their role on the shift"))),
            Div(*staff_rows, css_class="row"),
            *(["seen_version"] if versioned else []),
        )
        self.helper.add_input(Submit("save", _("Save shift"), css_class="btn-lg"))

    @classmethod
    def initial_for(cls, shift) -> dict:
        start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
        initial = {
            "date": start.date(),
            "starts": start.time(),
            "ends": end.time(),
            "note": shift.note,
            "seen_version": shift.version,
        }
        for assignment in shift.assignments.all():
            if assignment.is_duty_officer:
                initial["duty_officer"] = assignment.user
            else:
                initial[f"role_{assignment.user_id}"] = assignment.role
        return initial

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, starts, ends = cleaned.get("date"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            if ends == starts:
                self.add_error("ends", _("A shift cannot start and end at the same time."))
            else:
                # An end before the start is the next day: 18:00 to 02:00 runs past midnight.
                cleaned["starts_at"], cleaned["ends_at"] = Shift.period(day, starts, ends)
        cleaned["members"] = [
            (user, cleaned[f"role_{user.pk}"]) for user in self.staff if cleaned.get(f"role_{user.pk}")
        ]
        return cleaned


class HandoverForm(forms.Form):
    client_codes = forms.CharField(
        label=_("Clients of concern"),
        required=False,
        max_length=1000,
        help_text=_("Client codes, separated by commas or spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    concern_notes = forms.CharField(
        label=_("About the clients of concern"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    incidents_note = forms.CharField(
        label=_("Incidents this shift"),
        required=False,
        max_length=4000,
        help_text=_(
            "The incidents recorded this shift are attached by themselves; add what the next shift should know."
        ),
        widget=forms.Textarea({"rows": 2}),
    )
    open_matters = forms.CharField(
        label=_("Open emergencies or visits"),
        required=False,
        max_length=4000,
        help_text=_("The visits open now are listed by themselves."),
        widget=forms.Textarea({"rows": 2}),
    )
    stock_problems = forms.CharField(
        label=_("Stock problems"), required=False, max_length=4000, widget=forms.Textarea({"rows": 2})
    )
    other_notes = forms.CharField(
        label=_("Other notes"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Write handover"), css_class="btn-lg"))

    def clean_client_codes(self) -> list[Client]:
        return parse_client_codes(self.cleaned_data["client_codes"])


class HandoverSearchForm(forms.Form):
    date = BoundedDateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    code = forms.CharField(
        label=_("Client code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        return codes.normalise(self.cleaned_data["code"])


class IncidentForm(forms.Form):
    """A security incident: what, when, where, who was involved and what was done."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Incident.Kind.choices])
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = ClockTimeField(label=_("Time"))
    place = forms.ChoiceField(label=_("Where"))
    client_codes = forms.CharField(
        label=_("Clients involved"),
        required=False,
        max_length=1000,
        help_text=_("Client codes, separated by commas or spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff involved"), required=False, queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    other_party = forms.CharField(
        label=_("Others involved"),
        required=False,
        max_length=500,
        help_text=_("Who, without names, when not a client or staff: 'a neighbour', 'a passer-by'."),
    )
    description = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea({"rows": 4}))
    action_taken = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea({"rows": 3}))
    police_called = forms.BooleanField(label=_("Police called"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = Room.objects.filter(active=True)
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ("", "—"),
            (_("Rooms"), [(f"room:{room.pk}", room.label) for room in rooms]),
            (
                _("Outside"),
                [
                    (Incident.Area.ENTRANCE, Incident.Area.ENTRANCE.label),
                    (Incident.Area.OUTSIDE, Incident.Area.OUTSIDE.label),
                ],
            ),
        ]
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = floor_staff()
        staff.label_from_instance = _staff_label  # type: ignore[method-assign,assignment]  # labels for this form only
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("kind", css_class="col-md-4"),
                Div("date", css_class="col-6 col-md-2"),
                Div("time", css_class="col-6 col-md-2"),
                Div("place", css_class="col-md-4"),
                css_class="row",
            ),
            "client_codes",
            InlineCheckboxes("staff"),
            "other_party",
            "description",
            "action_taken",
            "police_called",
        )
        self.helper.add_input(Submit("save", _("Record incident"), css_class="btn-lg"))

    def clean_client_codes(self) -> list[Client]:
        return parse_client_codes(self.cleaned_data["client_codes"])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["occurred_at"] = local_moment(cleaned["date"], cleaned["time"])
        return cleaned

    def clean_place(self) -> tuple[str, Room | None]:
        value = self.cleaned_data["place"]
        if value.startswith("room:"):
            room = Room.objects.filter(pk=value.removeprefix("room:")).first()
            if room is None:
                raise forms.ValidationError(_("Choose where it happened."))
            return Incident.Area.ROOM, room
        return value, None


class IncidentCorrectionForm(VersionedForm, IncidentForm):
    """A recorded incident, to correct: the same fields, filled in, and why it is corrected."""

    reason = forms.CharField(
        label=_("Why it is corrected"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Kept with the correction; the incident as it was stays in its history."),
    )
    seen_version = VersionField()

    def __init__(self, *args, incident: Incident, **kwargs):
        occurred = timezone.localtime(incident.occurred_at)
        kwargs.setdefault(
            "initial",
            {
                "kind": incident.kind,
                "date": occurred.date(),
                "time": occurred.time().replace(second=0, microsecond=0),
                "place": f"room:{incident.room_id}" if incident.room_id else incident.area,
                "client_codes": " ".join(client.code for client in incident.clients.all()),
                "staff": [member.pk for member in incident.staff.all()],
                "other_party": incident.other_party,
                "description": incident.description,
                "action_taken": incident.action_taken,
                "police_called": incident.police_called,
                "seen_version": incident.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper.layout.append("reason")
        self.helper.layout.append("seen_version")
        self.helper.inputs = [Submit("save", _("Save the correction"), css_class="btn-lg")]


class IncidentFilterForm(forms.Form):
    date_from = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    date_to = BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", "—"), *Incident.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    community = forms.BooleanField(
        label=_("Community-side only"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned
