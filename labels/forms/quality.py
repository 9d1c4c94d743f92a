"""Forms of the National and European Quality Label (R16-R26a)."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from labels.enums import (
    QUALITY_ELIGIBILITY_QUESTIONS,
    EvaluationResult,
    QualityCriterion,
    QualitySubCriterion,
)
from labels.models.quality import QualityLabelApplication, QualityRubric

YES_NO = (("yes", _("Yes")), ("no", _("No")))

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = (
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".doc", ".docx",
    ".odt", ".ppt", ".pptx", ".odp", ".xls", ".xlsx", ".ods", ".txt", ".mp3", ".mp4",
)  # fmt: skip


class EligibilityForm(forms.Form):
    """R16: five yes/no questions; only five yeses lead to the application form."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, question in QUALITY_ELIGIBILITY_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=question, choices=YES_NO, widget=forms.RadioSelect
            )

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data.get(key) == "yes" for key in self.fields}


class QualityApplicationForm(forms.ModelForm):
    """The application's texts (R18, R20, R22, R24) plus the version it was based on (R25).

    Every field may stay empty while drafting; submit_application checks completeness.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = QualityLabelApplication
        fields = list(QualityLabelApplication.ANSWER_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in QualityLabelApplication.ANSWER_FIELDS
        }
        help_texts = {
            "collaboration": _(
                "How did the partner schools work together, beyond communicating? Which "
                "joint activities and common products came out of it?"
            ),
            "technology": _(
                "Which tools did you choose, why, and how did they help pupils collaborate?"
            ),
            "pedagogy": _(
                "Methods, pupils' initiative and roles, how pupils of different schools "
                "worked together."
            ),
            "curriculum": _(
                "Which subjects and curriculum goals; how much happened in class time; "
                "which skills pupils developed."
            ),
            "results": _(
                "Where the results are online, how pupils took part in TwinSpace, how "
                "you evaluated the project's impact. Mention how you handled data "
                "protection, copyright and online safety."
            ),
            "own_contribution": _(
                "The label is personal: describe what you and your pupils did yourselves."
            ),
            "not_visible": _(
                "Evaluators can read the project's TwinSpace. Tell them what they cannot "
                "see there: classroom work, meetings, local events, feedback."
            ),
            "evidence_links": _(
                "One address per line: videos, online products, articles, photos."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_links"].widget.attrs["rows"] = 3
        for name in QualityLabelApplication.ANSWER_FIELDS:
            self.fields[name].required = False
        if self.instance and self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version

    def clean_evidence_links(self) -> str:
        value = self.cleaned_data.get("evidence_links", "")
        validate = URLValidator(schemes=["http", "https"])
        bad = []
        for line in value.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                validate(line)
            except forms.ValidationError:
                bad.append(line)
        if bad:
            raise forms.ValidationError(
                _("These lines are not web addresses (https://...): %(lines)s"),
                params={"lines": ", ".join(bad[:5])},
            )
        return value


class EvidenceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        help_text=_("PDF, images, office documents, audio or video; up to 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(EVIDENCE_EXTENSIONS):
            raise forms.ValidationError(
                _("This kind of file cannot be added as evidence.")
            )
        return upload


class EvaluationForm(forms.Form):
    """R23: the NSO's scores; the portal computes the result, the evaluator confirms
    it or overrides it with a written reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("", _("Confirm the result computed from the rubric")),
            *EvaluationResult.choices,
        ],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding the computed result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    comments = forms.CharField(
        label=_("Comments to the teacher"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Sent to the teacher with the decision."),
    )

    def __init__(self, *args, rubric: QualityRubric, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for key, label in QualityCriterion.choices:
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=rubric.criterion_max
            )
        for key, label in QualitySubCriterion.choices:
            self.fields[f"sub_{key}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=rubric.subcriterion_max,
                help_text=_("Minimum %(min)s") % {"min": rubric.subcriterion_min},
            )

    def criterion_fields(self):
        return [self[f"score_{key}"] for key in QualityCriterion.values]

    def subcriterion_fields(self):
        return [self[f"sub_{key}"] for key in QualitySubCriterion.values]

    def scores(self) -> dict[str, int]:
        return {k: self.cleaned_data[f"score_{k}"] for k in QualityCriterion.values}

    def subscores(self) -> dict[str, int]:
        return {k: self.cleaned_data[f"sub_{k}"] for k in QualitySubCriterion.values}


class PupilCertificateForm(forms.Form):
    """R26a: pick the project's pupils from TwinSpace, or type their names."""

    pupils = forms.MultipleChoiceField(
        label=_("Pupils in the project's TwinSpace"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    names = forms.CharField(
        label=_("Other pupils (one name per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, pupil_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = list(pupil_choices)
        if not pupil_choices:
            del self.fields["pupils"]

    def clean(self):
        data = super().clean()
        names = [n for n in (data.get("names") or "").splitlines() if n.strip()]
        if not data.get("pupils") and not names:
            raise forms.ValidationError(_("Choose or name at least one pupil."))
        data["name_list"] = names
        return data
