"""allauth hooks: after sign-up and sign-in, send teachers to finish registration."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated and user.is_pupil:
            return "/pupil/"
        profile = getattr(user, "profile", None)
        if not user.is_staff and (profile is None or profile.step != profile.Step.DONE):
            return reverse("accounts:register")
        return super().get_login_redirect_url(request)
