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

    def get_login_stages(self) -> list[str]:
        default = "allauth.account.stages.EmailVerificationStage"
        # A dotted path, imported by allauth when it runs the stages: importing
        # allauth.account.stages here, while allauth loads this adapter, is a circular
        # import whenever the system checks ask for the adapter first.
        ours = "accounts.stages.PupilAwareEmailVerificationStage"
        return [
            ours if stage == default else stage for stage in super().get_login_stages()
        ]
