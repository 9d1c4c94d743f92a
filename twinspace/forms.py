"""Forms of the TwinSpace; they work without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from twinspace.files import (
    DOCUMENT_TYPES,
    IMAGE_EXTENSIONS,
    MAX_DOCUMENT_BYTES,
    MAX_IMAGE_BYTES,
)
from twinspace.models import Page, TwinSpace


class PageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Place under"),
        queryset=Page.objects.none(),
        required=False,
        empty_label=_("(top of the TwinSpace)"),
    )
    source = forms.CharField(
        label=_("Content"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace-sm"}),
        help_text=_(
            "Leave an empty line between paragraphs. A YouTube or Vimeo link on a line of its own becomes a video player."
        ),
    )
    video_url = forms.URLField(
        label=_("Video link (YouTube or Vimeo)"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown as a player at the top of the page."),
    )

    def __init__(self, *args, twinspace: TwinSpace, page: Page | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Page.objects.filter(twinspace=twinspace).order_by("title")
        if page is not None:
            parents = parents.exclude(pk=page.pk)
        self.fields["parent"].queryset = parents


class CoverForm(forms.ModelForm):
    class Meta:
        model = TwinSpace
        fields = ["description", "cover_hidden"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "cover_hidden": _(
                "The cover shows the project's name, this description and the members' names."
            )
        }


class PupilBatchForm(forms.Form):
    names = forms.CharField(
        label=_("Pupils' names, one per line"),
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "Maria Popescu\nAndrei Ionescu"}
        ),
        help_text=_(
            "Only the first name and the initial of the last name are kept. Pupils need no e-mail address."
        ),
    )


class VisitorForm(forms.Form):
    login = forms.CharField(
        label=_("Username or e-mail of a portal member"), max_length=254
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request, so the text is in the reader's language.
        self.fields["file"].help_text = _(
            "Pictures (%(images)s) up to %(image_mb)s MB; documents (%(documents)s) up to %(document_mb)s MB. Location and camera data are removed from photos."
        ) % {
            "images": ", ".join(sorted(e[1:] for e in IMAGE_EXTENSIONS)),
            "image_mb": MAX_IMAGE_BYTES // (1024 * 1024),
            "documents": ", ".join(sorted(e[1:] for e in DOCUMENT_TYPES)),
            "document_mb": MAX_DOCUMENT_BYTES // (1024 * 1024),
        }


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
