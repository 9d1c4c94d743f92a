"""allauth hooks: after sign-up and sign-in, send teachers to finish registration."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import EmailVerificationStage
from django.http import HttpRequest
from django.urls import reverse


class PupilAwareEmailVerificationStage(EmailVerificationStage):
    """Pupils have no e-mail address (R13): the teacher who created the account vouches
    for them, so mandatory e-mail verification does not apply to them."""

    def handle(self):
        user = self.login.user
        if user is not None and getattr(user, "is_pupil", False):
            return None, True
        return super().handle()


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
        ours = f"{__name__}.{PupilAwareEmailVerificationStage.__name__}"
        return [
            ours if stage == default else stage for stage in super().get_login_stages()
        ]
