"""Forms of the reception station: they validate and lay out; services do the writing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, Submit
from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DATETIME_LOCAL, DateTimeLocalInput, ReadOnceModelChoiceField, ReadOnceModelMultipleChoiceField
from visits import codes
from visits.models import Client, EquipmentItem, Intoxication, Refusal, Substance

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _datetime_field(label, *, required: bool, help_text: StrOrPromise = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def _substances(substances: Iterable[Substance] | None) -> list[Substance]:
    return list(Substance.objects.all()) if substances is None else list(substances)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Client code"), max_length=40, required=False)


class RegisterForm(forms.Form):
    letters = forms.CharField(
        label=_("Letters"),
        min_length=2,
        max_length=8,
        help_text=_("2-8 letters the client chooses, for example the first two letters of first and last name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900)
    gender = forms.ChoiceField(label=_("Gender"), choices=Client.Gender.choices, widget=forms.RadioSelect)
    age_proof_seen = forms.BooleanField(
        label=_("I have seen proof that the person is 18 or older"),
        required=False,
        help_text=_("Needed when the person turns 18 this year."),
    )
    # The code staff confirmed after the near-match warning; a confirmation holds for that code only.
    confirmed_code = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        # The validators are built when the field is; setting max_value afterwards would check nothing.
        cast(forms.IntegerField, self.fields["birth_year"]).max_value = this_year
        self.fields["birth_year"].validators.append(MaxValueValidator(this_year))
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": this_year})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(Div("letters", css_class="col-sm-4"), Div("birth_year", css_class="col-sm-4"), css_class="row"),
            InlineRadios("gender"),
            "age_proof_seen",
            "confirmed_code",
        )
        self.helper.add_input(Submit("register", _("Register client"), css_class="btn-lg"))

    def clean_letters(self) -> str:
        letters = codes.normalise(self.cleaned_data["letters"])
        if not letters.isalpha() or not 2 <= len(letters) <= 8:
            raise forms.ValidationError(_("Use 2 to 8 letters (A-Z, Æ, Ø, Å), no digits."))
        return letters

    def code(self) -> str:
        data = self.cleaned_data
        return codes.build(data["letters"], data["birth_year"], data["gender"])

    def registration(self) -> dict:
        """The service's arguments; a near match counts as confirmed only for the code confirmed."""
        data = self.cleaned_data
        return {
            "letters": data["letters"],
            "birth_year": data["birth_year"],
            "gender": data["gender"],
            "age_proof_seen": data["age_proof_seen"],
            "confirm_near_match": data["confirmed_code"] == self.code(),
        }


class CheckInForm(forms.Form):
    substance = ReadOnceModelChoiceField(
        label=_("Substance brought"), queryset=Substance.objects.none(), empty_label=None
    )
    dose = forms.CharField(label=_("Dose as shown"), max_length=100, required=False)
    last_use = forms.TimeField(
        label=_("Time of last use"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Today, or last night if the time is later than now."),
    )
    other_substances = ReadOnceModelMultipleChoiceField(
        label=_("Other substances taken today"),
        queryset=Substance.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_substances_note = forms.CharField(label=_("Other substances, more"), max_length=200, required=False)
    intoxication = forms.ChoiceField(
        label=_("Visible signs of intoxication"),
        choices=Intoxication.choices,
        initial=Intoxication.NONE,
        widget=forms.RadioSelect,
    )
    override_reason = forms.CharField(
        label=_("Admit against the rules: reason (duty officer)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, can_override: bool = False, substances: Iterable[Substance] | None = None, **kwargs):
        """``substances``: every substance in their usual order, read once for all the forms on a page."""
        super().__init__(*args, **kwargs)
        substances = _substances(substances)
        # Allowed substances first in the list of what was brought; all of them, in order, for the rest.
        in_order = sorted(substances, key=lambda s: (not s.enabled, s.position, s.pk))
        cast(ReadOnceModelChoiceField, self.fields["substance"]).use_objects(in_order)
        cast(ReadOnceModelMultipleChoiceField, self.fields["other_substances"]).use_objects(substances)
        if not can_override:
            del self.fields["override_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("substance", css_class="col-sm-6"),
                Div("dose", css_class="col-sm-3"),
                Div("last_use", css_class="col-sm-3"),
                css_class="row",
            ),
            InlineRadios("intoxication"),
            HTML(
                '<details class="mb-3"><summary>{% load i18n %}{% translate "Other substances taken today" %}</summary>'
            ),
            InlineCheckboxes("other_substances"),
            "other_substances_note",
            HTML("</details>"),
            *(["override_reason"] if can_override else []),
        )

    def last_use_at(self, now: dt.datetime) -> dt.datetime | None:
        """The most recent moment at or before ``now`` with the time of day given."""
        time = self.cleaned_data.get("last_use")
        if time is None:
            return None
        local_now = timezone.localtime(now)
        moment = timezone.make_aware(dt.datetime.combine(local_now.date(), time))
        if moment > now:
            moment -= dt.timedelta(days=1)
        return moment


class RefusalForm(forms.Form):
    # No reason chosen beforehand: one click must not record a reason no one picked.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *Refusal.Reason.choices],
        error_messages={"required": _("Choose the reason the client is turned away.")},
    )
    substance = ReadOnceModelChoiceField(
        label=_("Substance brought"), queryset=Substance.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    # One token per form drawn: the same form sent twice records one refusal (``refusal_record``).
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, substances: Iterable[Substance] | None = None, **kwargs):
        """``substances``: every substance in their usual order, read once for all the forms on a page."""
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()
        cast(ReadOnceModelChoiceField, self.fields["substance"]).use_objects(_substances(substances))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("reason", css_class="col-sm-5"),
                Div("substance", css_class="col-sm-3"),
                Div("note", css_class="col-sm-4"),
                css_class="row",
            ),
            "token",
        )


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = _datetime_field(_("Starts"), required=True)
    ends_at = _datetime_field(_("Ends"), required=False, help_text=_("Leave empty for until further notice."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason", Div(Div("starts_at", css_class="col-sm-6"), Div("ends_at", css_class="col-sm-6"), css_class="row")
        )
        self.helper.add_input(Submit("save", _("Register ban"), css_class="btn-danger"))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The ban must end after it starts."))
        return cleaned


class BanLiftForm(forms.Form):
    lift_reason = forms.CharField(label=_("Reason for lifting early"), max_length=2000)


class ContactForm(forms.Form):
    code = forms.CharField(
        label=_("Client code"), max_length=40, required=False, help_text=_("Leave empty for an anonymous contact.")
    )
    gender = forms.ChoiceField(
        label=_("Gender (anonymous contact)"),
        choices=[("", "—"), *Client.Gender.choices],
        required=False,
    )
    advice = forms.BooleanField(label=_("Advice given"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(EquipmentItem.objects.filter(enabled=True))
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.IntegerField(
                label=f"{item.label} ({item.get_unit_display()})",
                min_value=0,
                max_value=500,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 500}),
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(Div("code", css_class="col-sm-6"), Div("gender", css_class="col-sm-6"), css_class="row"),
            HTML(
                '<fieldset class="mb-3"><legend class="h6">{% load i18n %}'
                '{% translate "Equipment handed out" %}</legend><div class="row">'
            ),
            *[Div(f"item_{item.pk}", css_class="col-6 col-md-3") for item in self.items],
            HTML("</div></fieldset>"),
            "advice",
            "note",
        )
        self.helper.add_input(Submit("save", _("Record contact"), css_class="btn-lg"))

    def clean_code(self) -> Client | None:
        raw = self.cleaned_data["code"]
        code = codes.normalise(raw)
        if not code:
            if raw.strip():
                # Only odd characters: a mistyped code, not a wish to stay anonymous.
                raise forms.ValidationError(_("No client has the code %(code)s.") % {"code": raw.strip()})
            return None
        client = Client.objects.filter(code=code).first()
        if client is None:
            raise forms.ValidationError(_("No client has the code %(code)s.") % {"code": code})
        return client

    def item_quantities(self) -> dict[EquipmentItem, int]:
        return {item: self.cleaned_data.get(f"item_{item.pk}") or 0 for item in self.items}
