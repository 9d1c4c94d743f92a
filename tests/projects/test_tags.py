"""Template helpers of the projects app, in both languages."""

from __future__ import annotations

from django import forms
from django.utils import translation

from projects.templatetags.projects_tags import choice_labels, select_options


def test_choice_labels_follow_the_page_language_and_skip_unknown_codes():
    with translation.override("en"):
        assert choice_labels(" mathematics nonsense art ", "subject") == [
            "Mathematics",
            "Art",
        ]
    with translation.override("ro"):
        assert choice_labels(["mathematics"], "subject") == ["Matematică"]
    with translation.override("en"):
        assert choice_labels(["mathematics"], "subject") == ["Mathematics"]


class _Form(forms.Form):
    subject = forms.ChoiceField(
        choices=[("", "All"), ("art", "Art"), ("music", "Music")], required=False
    )


def test_select_options_mark_the_submitted_value_only():
    options = select_options(_Form({"subject": "music"})["subject"])
    assert options == [
        ("", "All", False),
        ("art", "Art", False),
        ("music", "Music", True),
    ]
    options = select_options(_Form({})["subject"])
    assert [selected for _v, _l, selected in options] == [True, False, False]
