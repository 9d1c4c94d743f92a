"""Public and teacher-facing views of the labels app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import School


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: what the portal is, and the latest School Label holders."""
    context = {"school_count": School.objects.count(), "label_holders": []}
    return render(request, "home.html", context)
