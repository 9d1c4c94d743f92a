"""Forms of the projects app (crispy, Bootstrap 5); they validate, services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import AgeGroup, Interest, Language, Subject
from accounts.models import Country, School
from projects.services import validate_project_plan


class ChecklistWidget(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in responsive columns (see .check-columns in portal.css)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("class", "check-columns")


class ProjectProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will the pupils do together?"),
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), choices=Subject.choices, widget=ChecklistWidget
    )
    age_min = forms.IntegerField(
        label=_("Pupils' age from"), min_value=0, max_value=99, initial=12
    )
    age_max = forms.IntegerField(
        label=_("Pupils' age to"), min_value=0, max_value=99, initial=15
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=Language.choices, widget=ChecklistWidget
    )
    planned_start = forms.DateField(
        label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    planned_end = forms.DateField(
        label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    school = forms.ModelChoiceField(
        label=_("Your school in this project"),
        queryset=School.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, schools: list[School] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools or []
        self.fields["school"].queryset = School.objects.filter(
            pk__in=[s.pk for s in schools]
        )
        if len(schools) <= 1:
            # One school: nothing to choose, the service takes the teacher's school.
            del self.fields["school"]

    def clean(self):
        data = super().clean()
        if data.get("age_min") is not None and data.get("age_max") is not None:
            for field, message in validate_project_plan(
                age_min=data["age_min"],
                age_max=data["age_max"],
                planned_start=data.get("planned_start"),
                planned_end=data.get("planned_end"),
            ):
                self.add_error(field, message)
        return data


class InviteForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=None, empty_label=None
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Your idea"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would the pupils do, and what partner are you looking for?"),
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"),
        choices=Subject.choices,
        widget=ChecklistWidget,
        required=False,
    )
    age_groups = forms.MultipleChoiceField(
        label=_("Pupil age groups"),
        choices=AgeGroup.choices,
        widget=ChecklistWidget,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=Language.choices,
        widget=ChecklistWidget,
        required=False,
    )


class BootstrapFilterMixin:
    """Filter forms render their widgets by hand (_filters.html): give them Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select"
                if isinstance(field.widget, forms.Select)
                else "form-control"
            )
            field.widget.attrs.setdefault("class", css)


def _with_blank(choices, label):
    return [("", label), *choices]


class PartnerSearchForm(BootstrapFilterMixin, forms.Form):
    """R7 filters; every field optional, a GET form that works without JavaScript."""

    MODE_CHOICES = [("teachers", _("Teachers")), ("schools", _("Schools"))]

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    mode = forms.ChoiceField(
        label=_("Look for"), choices=MODE_CHOICES, required=False, initial="teachers"
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        empty_label=_("All countries"),
    )
    subject = forms.ChoiceField(
        label=_("Subject"),
        choices=_with_blank(Subject.choices, _("All subjects")),
        required=False,
    )
    age_group = forms.ChoiceField(
        label=_("Pupils' age"),
        choices=_with_blank(AgeGroup.choices, _("All ages")),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Working language"),
        choices=_with_blank(Language.choices, _("All languages")),
        required=False,
    )
    interest = forms.ChoiceField(
        label=_("Interest"),
        choices=_with_blank(Interest.choices, _("All interests")),
        required=False,
    )


class ProjectFilterForm(BootstrapFilterMixin, forms.Form):
    q = forms.CharField(label=_("Words in the title"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("", _("European and national")),
            ("european", _("European")),
            ("national", _("National")),
        ],
        required=False,
    )
    subject = forms.ChoiceField(
        label=_("Subject"),
        choices=_with_blank(Subject.choices, _("All subjects")),
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        empty_label=_("All countries"),
    )


class IdeaFilterForm(BootstrapFilterMixin, forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    subject = forms.ChoiceField(
        label=_("Subject"),
        choices=_with_blank(Subject.choices, _("All subjects")),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Working language"),
        choices=_with_blank(Language.choices, _("All languages")),
        required=False,
    )
