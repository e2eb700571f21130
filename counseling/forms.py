"""Forms of the interview room and of referrals: they validate and lay out; services do the writing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDateField
from core.forms import ClockTimeField
from core.versioning import VersionedForm, VersionField
from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange, ReferralService, Topic
from visits import codes
from visits.models import Client

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class IntakeForm(forms.Form):
    """The intake interview's answers, with the model's fields.

    A plain form, not a ModelForm: a ModelForm checks the model's constraints first and can only say
    "constraint violated"; the service says which criterion is missing, or that a reason is needed.
    """

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Intake.Outcome.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Intake,
                fields=[
                    "is_adult",
                    "long_term_heroin_dependence",
                    "harmful_injection_practice",
                    "consent_given",
                    "house_rules_explained",
                    "harm_reduction_advice_given",
                    "refusal_reason",
                    "notes",
                ],
                widgets={
                    "refusal_reason": forms.Textarea(attrs={"rows": 2}),
                    "notes": forms.Textarea(attrs={"rows": 4}),
                },
            )
        )
        for name in (
            "is_adult",
            "long_term_heroin_dependence",
            "harmful_injection_practice",
            "consent_given",
            "house_rules_explained",
            "harm_reduction_advice_given",
        ):
            self.fields[name].required = False
        self.fields["notes"].help_text = _("Seen by counselors and coordinators only.")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Eligibility"), "is_adult", "long_term_heroin_dependence", "harmful_injection_practice"),
            Fieldset(
                _("Consent and house rules"), "consent_given", "house_rules_explained", "harm_reduction_advice_given"
            ),
            InlineRadios("outcome"),
            "refusal_reason",
            "notes",
        )
        self.helper.add_input(Submit("save", _("Save intake"), css_class="btn-lg"))


class ClientCodeField(forms.CharField):
    """A client code as staff type it; cleans to the client, or says no client has that code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Client code"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "font-monospace"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        raw = super().clean(value)
        code = codes.normalise(raw)
        client = Client.objects.filter(code=code).first() if code else None
        if client is None:
            raise forms.ValidationError(
                _("No client has the code %(code)s. Check the code, or register the client at reception.")
                % {"code": code or raw}
            )
        return client


class OutlineSubmit(Submit):
    """A submit button for the second action of a page."""

    field_classes = "btn btn-outline-primary"


def _follow_up_field(**kwargs) -> forms.DateField:
    return BoundedDateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        **kwargs,
    )


def _default_follow_up() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=Referral.DEFAULT_FOLLOW_UP_DAYS)


class CounselingSessionForm(forms.Form):
    """The times as a date and two 24-hour clock times typed as text, as the other staff forms take them."""

    client = ClientCodeField()
    date = BoundedDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    starts = ClockTimeField(label=_("Started"))
    ends = ClockTimeField(label=_("Ended"), help_text=_("An end before the start, after midnight, is the next day."))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    next_steps = forms.CharField(
        label=_("Agreed next steps"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Seen by counselors and coordinators only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["topics"]).queryset = Topic.objects.filter(enabled=True)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(
                Div("client", css_class="col-sm-4"),
                Div("date", css_class="col-sm-4"),
                Div("starts", css_class="col-6 col-sm-2"),
                Div("ends", css_class="col-6 col-sm-2"),
                css_class="row",
            ),
            "topics",
            "next_steps",
            "notes",
        )
        self.helper.add_input(Submit("save", _("Save session"), css_class="btn-lg"))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, starts, ends = cleaned.get("date"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            # An end before the start is the next day when that is a plausible session: 23:40 to 00:10.
            cleaned["started_at"], cleaned["ended_at"] = CounselingSession.period(day, starts, ends)
            if cleaned["ended_at"] < cleaned["started_at"]:
                self.add_error("ends", _("The session cannot end before it started."))
        return cleaned


class ReferralForm(forms.Form):
    client = ClientCodeField()
    service = forms.ModelChoiceField(label=_("Service"), queryset=ReferralService.objects.none())
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the referral is for, whom to contact, an appointment already made."),
    )
    follow_up_on = _follow_up_field(help_text=_("When to check how it went. A week ahead if left empty."))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = ReferralService.objects.filter(enabled=True)
        self.fields["follow_up_on"].initial = _default_follow_up
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Div(Div("client", css_class="col-sm-5"), Div("service", css_class="col-sm-7"), css_class="row"),
            "note",
            Div(Div("follow_up_on", css_class="col-sm-5"), css_class="row"),
            "next",
        )
        self.helper.add_input(Submit("save", _("Make referral"), css_class="btn-lg"))


class ReferralStatusForm(VersionedForm):
    """Offers the moves that make sense from the current status; the service judges whatever arrives.

    The version of the referral the page showed goes along, so that a change made meanwhile by someone
    else is refused instead of overwritten.
    """

    to_status = forms.ChoiceField(label=_("New status"), choices=Referral.Status.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reopen a closed referral or to go back a step."),
    )
    follow_up_on = _follow_up_field(help_text=_("For a referral still open. A week ahead if left empty."))
    seen_version = VersionField()

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = referral.version
        labels = dict(Referral.Status.choices)
        offered = []
        for status in Referral.next_statuses(referral.status):
            label: StrOrPromise = labels[status]
            if referral.is_open and Referral.STEP.get(status, 99) < Referral.STEP[referral.status]:
                label = _("%(status)s (back a step, needs a reason)") % {"status": label}
            offered.append((status, label))
        # Any known status validates here, so that a move that makes no sense gets the service's message.
        self.fields["to_status"].widget.choices = offered
        self.helper = FormHelper()
        self.helper.form_action = reverse("counseling:referral-status", args=[referral.pk])
        self.helper.layout = Layout(
            "to_status", "reason", Div(Div("follow_up_on", css_class="col-sm-6"), css_class="row"), "seen_version"
        )
        self.helper.add_input(Submit("save", _("Change status")))


class FollowUpForm(VersionedForm):
    """Moving the follow-up date with a reason. The version of the referral the page showed goes along,
    so that a move made meanwhile by someone else is refused instead of overwritten."""

    follow_up_on = BoundedDateField(
        label=_("Next follow-up"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    reason = forms.CharField(
        label=_("Why is it moved?"),
        max_length=ReferralFollowUpChange.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A few words, e.g. “NAV has not answered yet, calling again Monday”."),
        error_messages={"required": _("Say why the follow-up date is moved.")},
    )
    seen_version = VersionField()

    def __init__(self, *args, referral: Referral, **kwargs):
        # Its own element ids: the status form on the same page has fields of the same names.
        kwargs.setdefault("auto_id", "id_move_%s")
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = referral.version
        self.helper = FormHelper()
        self.helper.form_action = reverse("counseling:referral-follow-up", args=[referral.pk])
        self.helper.layout = Layout(
            Div(Div("follow_up_on", css_class="col-sm-6"), css_class="row"),
            "reason",
            "seen_version",
        )
        self.helper.add_input(OutlineSubmit("save", _("Move follow-up date")))
