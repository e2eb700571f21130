"""The dashboard's period picker."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDateField
from reports.periods import Period, PeriodKind, named_period

# A custom range is at most a year and a day, so that a page stays quick however far back it looks.
MAX_DAYS = 366


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    # The picker's template draws the inputs (type="date"); the form parses and checks them.
    start = BoundedDateField(label=_("From"), required=False)
    end = BoundedDateField(label=_("To"), required=False)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        kind = data.get("period") or ""
        start, end = data.get("start"), data.get("end")
        if not kind and (start or end):
            kind = PeriodKind.CUSTOM
        data["period"] = kind or PeriodKind.TODAY
        if data["period"] != PeriodKind.CUSTOM or self.errors:
            return data
        if start is None or end is None:
            raise forms.ValidationError(_("A custom range needs both a first and a last day."))
        if end < start:
            raise forms.ValidationError(_("The last day comes before the first."))
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(
                _("A custom range may be at most %(days)s days long."), params={"days": MAX_DAYS}
            )
        return data

    def chosen_period(self, today: dt.date) -> Period:
        """The chosen period; today when nothing, or nothing valid, was chosen."""
        if not self.is_bound or not self.is_valid():
            return named_period(PeriodKind.TODAY, today)
        data = self.cleaned_data
        if data["period"] == PeriodKind.CUSTOM:
            return Period(PeriodKind.CUSTOM, data["start"], data["end"])
        return named_period(data["period"], today)
