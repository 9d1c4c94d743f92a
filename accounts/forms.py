"""Forms of the accounts app: the registration wizard (R1), the school step (R3), profile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import (
    AgeGroup,
    Experience,
    Interest,
    Language,
    Role,
    SchoolLevel,
    Subject,
)
from accounts.models import Country, School, TeacherProfile, User
from accounts.services import school_by_keys

ROLE_HELP = {
    Role.TEACHER: _("You teach at a school and want to run projects with your pupils."),
    Role.HEAD: _(
        "You lead a school. Your National Support Organisation confirms the role; "
        "you then confirm your school's teachers and sign its School Label declaration."
    ),
    Role.FUTURE_TEACHER: _(
        "You study in initial teacher education. You can take part in the community; "
        "founding projects is for teachers."
    ),
    Role.INSPECTOR: _(
        "You inspect or advise schools. You can follow the community; founding "
        "projects is for teachers."
    ),
}


def country_choices() -> list[tuple[str, str]]:
    """The 46 countries by ISO code, sorted by their name in the current language."""
    countries = sorted(Country.objects.all(), key=lambda c: c.name.casefold())
    return [(c.code, c.name) for c in countries]


class CountryCodeField(forms.ChoiceField):
    """A country chosen by ISO code; cleans to a Country; says clearly when a code is unknown."""

    default_error_messages = {
        "invalid_choice": _(
            "“%(value)s” is not the code of an eTwinning country. Choose a country from the list."
        ),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=(), **kwargs)

    def clean(self, value):
        value = (value or "").strip().upper()
        code = super().clean(value)
        if not code:
            return None
        return Country.objects.get(code=code)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I am a…"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what describes you best.")},
    )


class ProfileForm(forms.ModelForm):
    """R1: the teacher's profile and eTwinning preferences, plus the name others see."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of the portal's e-mails to you"), choices=()
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects taught"),
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    age_groups = forms.MultipleChoiceField(
        label=_("Age of your pupils"),
        choices=AgeGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interests = forms.MultipleChoiceField(
        label=_("Areas of interest for projects"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages of your projects"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working language.")},
    )

    class Meta:
        model = TeacherProfile
        fields = [
            "profession",
            "subjects",
            "age_groups",
            "experience",
            "interests",
            "languages",
            "project_ideas",
        ]
        widgets = {
            "experience": forms.RadioSelect,
            "project_ideas": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "profession": _("For example: teacher of English, primary school teacher."),
            "project_ideas": _(
                "A few lines about projects you would like to run: partners find you by them."
            ),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        from django.conf import settings

        initial = kwargs.setdefault("initial", {})
        initial.setdefault("first_name", user.first_name)
        initial.setdefault("last_name", user.last_name)
        initial.setdefault("language", user.language)
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["experience"].choices = Experience.choices

    def save(self, commit: bool = True) -> TeacherProfile:
        profile = super().save(commit=commit)
        self.user.first_name = self.cleaned_data["first_name"].strip()
        self.user.last_name = self.cleaned_data["last_name"].strip()
        self.user.language = self.cleaned_data["language"]
        if commit:
            self.user.save(update_fields=["first_name", "last_name", "language"])
        return profile


class SchoolSearchForm(forms.Form):
    """R3 "my school is already registered": find it by country, city and name."""

    country = CountryCodeField(label=_("Country"), required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    q = forms.CharField(label=_("School name"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]

    @property
    def has_query(self) -> bool:
        return self.is_bound and any(
            (self.data.get(k) or "").strip() for k in ("country", "city", "q")
        )


class NewSchoolForm(forms.ModelForm):
    """R3: the first teacher of a school registers it."""

    country = CountryCodeField(
        label=_("Country"),
        error_messages={"required": _("Choose the school's country.")},
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={
            "invalid": _("Enter the full address of the school's website.")
        },
    )
    # Set after the teacher has seen the near matches and says none of them is their school.
    confirm_new = forms.BooleanField(
        label=_("None of these is my school: register it as a new school"),
        required=False,
    )

    class Meta:
        model = School
        fields = ["name", "country", "city", "address", "level", "website"]
        error_messages = {
            "name": {"required": _("Enter the school's name.")},
            "city": {"required": _("Enter the school's city or town.")},
            "level": {"required": _("Choose the school's level or type.")},
        }
        help_texts = {
            "name": _("The official name, as written on the school's documents."),
        }

    field_order = ["name", "country", "city", "address", "level", "website"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *country_choices()]
        self.fields["level"].choices = [("", "---------"), *SchoolLevel.choices]
        self.existing_school: School | None = None

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not any(ch.isalnum() for ch in name):
            raise forms.ValidationError(_("Enter the school's name."))
        return name

    def clean_city(self) -> str:
        city = " ".join(self.cleaned_data["city"].split())
        if not any(ch.isalnum() for ch in city):
            raise forms.ValidationError(_("Enter the school's city or town."))
        return city

    def validate_unique(self) -> None:
        # The model's unique constraint is on keys the form does not show; clean() below
        # gives the clear message instead of Django's generic one.
        pass

    def clean(self) -> dict:
        data = super().clean()
        country, city, name = data.get("country"), data.get("city"), data.get("name")
        if country and city and name:
            existing = school_by_keys(country, city, name)
            if existing is not None:
                self.existing_school = existing
                self.add_error(
                    "name",
                    _(
                        "This school is already registered as “%(name)s” in %(city)s. "
                        "Choose it instead of registering it again."
                    )
                    % {"name": existing.name, "city": existing.city},
                )
        return data


class PasswordConfirmForm(forms.Form):
    """Deleting the account asks for the password again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
