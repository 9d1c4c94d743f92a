"""Pupils reach nothing outside their TwinSpace (SPEC R13)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a pupil may reach: their TwinSpace, signing out, static files, the language switch.
PUPIL_ALLOWED_PREFIXES = (
    "/twinspace/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
    "/pupil/",
)


class PupilConfinementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_pupil
            and not request.path.startswith(PUPIL_ALLOWED_PREFIXES)
        ):
            return redirect("/pupil/")
        return self.get_response(request)
