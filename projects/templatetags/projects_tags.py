"""Template helpers of the projects app: choice labels for stored codes."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.translation import get_language

from accounts.enums import AgeGroup, Interest, Language, Subject

register = template.Library()

_CHOICES = {
    "subject": Subject,
    "language": Language,
    "age_group": AgeGroup,
    "interest": Interest,
}


@lru_cache(maxsize=64)
def _labels(kind: str, language: str | None) -> dict[str, str]:
    """{code: label} of one list in one language, built once per process: a result page
    shows about a hundred codes, and looking each one up through the enum and gettext was
    half the time of rendering its cards."""
    return {choice.value: str(choice.label) for choice in _CHOICES[kind]}


@register.filter
def choice_labels(value, kind: str) -> list[str]:
    """["biology"] or " biology art " -> ["Biology", "Art"] (in the page's language);
    unknown codes are left out."""
    codes = value.split() if isinstance(value, str) else list(value or [])
    labels = _labels(kind, get_language())
    return [labels[code] for code in codes if code in labels]


@register.filter
def select_options(field) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of a bound select field, for a plain loop in the template.

    Django renders every <option> through its own widget template: about 20 ms for the
    partner search's 150 options, most of that page's time (BENCHMARKS.md)."""
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    selected = {"" if v is None else str(v) for v in values}
    options = []
    for choice, label in field.field.choices:
        code = str(getattr(choice, "value", choice))  # ModelChoiceIteratorValue -> pk
        options.append((code, str(label), code in selected))
    return options
