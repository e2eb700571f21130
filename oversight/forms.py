from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDateField
from staff.models import User
from staff.services.accounts import SYSTEM_USERNAME
from visits.models import Client


class ClientCodeForm(forms.Form):
    code = forms.CharField(label=_("Client code"), max_length=13)

    def clean_code(self) -> Client:
        code = self.cleaned_data["code"].strip().upper()
        client = Client.objects.filter(code=code).first()
        if client is None:
            raise forms.ValidationError(_("No client has that code."))
        return client


class AccessReviewForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Staff member"),
        # Everyone who ever had an account, but not the system's own (it reads no records).
        queryset=User.objects.exclude(username=SYSTEM_USERNAME).order_by("username"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned


class AdminChangeFilterForm(AccessReviewForm):
    """The administrative changes made by one person (or anyone) in a period."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].label = _("Changed by")
        cast(forms.ModelChoiceField, self.fields["user"]).empty_label = _("Anyone")
