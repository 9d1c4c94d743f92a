"""Choice lists of the projects app (SPEC R7-R11)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectKind(models.TextChoices):
    """Fixed when the project is founded (R8)."""

    EUROPEAN = "european", _("European")
    NATIONAL = "national", _("National")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the co-founder to accept")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for NSO approval")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", pgettext_lazy("project", "Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Not approved")


class MemberRole(models.TextChoices):
    FOUNDER = "founder", _("Founder")
    PARTNER = "partner", _("Partner")
