"""Forms of the eTwinning School Label (R30-R35)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from labels.enums import OnlineSafetyAnswer
from labels.models import SchoolLabelSectionAnswer


class SchoolSectionForm(forms.ModelForm):
    """One section of the stage-two form plus the version it was based on (R30, R31).

    Fields may stay empty while drafting; signing and submitting check completeness.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = SchoolLabelSectionAnswer
        fields = ["policy", "description", "evidence", "plans"]
        widgets = {
            "policy": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 7}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "plans": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "description": _("What the school does, who takes part, since when."),
            "evidence": _(
                "Links to documents, pages, photos or TwinSpaces that show it, one per line."
            ),
            "plans": _("What the school will do in this area in the next two years."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("policy", "description", "evidence", "plans"):
            self.fields[name].required = False
        if self.instance.is_online_safety:
            del self.fields["plans"]
            self.fields["policy"].choices = OnlineSafetyAnswer.choices
            self.fields["description"].label = _("Describe the policy")
            self.fields["description"].help_text = _(
                "What it covers (pupils, staff, parents), how it is applied and reviewed."
            )
        else:
            del self.fields["policy"]
        if "version" not in self.initial:
            self.initial["version"] = self.instance.version


class HeadSignatureForm(forms.Form):
    """R33: the head types their full name and confirms their password."""

    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I have read the whole application and declare, as head of school, that it is "
            "true and that the school endorses it."
        )
    )


class VerifyCertificateForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "ETS-XXXXXXXXXX", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()
