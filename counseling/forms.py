from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from counseling.models import Intake


class IntakeForm(forms.ModelForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Intake.Outcome.choices, widget=forms.RadioSelect)

    class Meta:
        model = Intake
        fields = [
            "is_adult",
            "long_term_heroin_dependence",
            "harmful_injection_practice",
            "consent_given",
            "house_rules_explained",
            "harm_reduction_advice_given",
            "outcome",
            "refusal_reason",
            "notes",
        ]
        widgets = {"refusal_reason": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
