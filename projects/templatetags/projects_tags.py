"""Template helpers of the projects app: choice labels for stored codes."""

from __future__ import annotations

from django import template

from accounts.enums import AgeGroup, Interest, Language, Subject

register = template.Library()

_CHOICES = {
    "subject": Subject,
    "language": Language,
    "age_group": AgeGroup,
    "interest": Interest,
}


@register.filter
def choice_labels(value, kind: str) -> list[str]:
    """["biology"] or " biology art " -> ["Biology", "Art"] (in the page's language)."""
    codes = value.split() if isinstance(value, str) else list(value or [])
    enum = _CHOICES[kind]
    labels = []
    for code in codes:
        try:
            labels.append(str(enum(code).label))
        except ValueError:
            continue
    return labels
