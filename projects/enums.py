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


# R8/R9a/R11: the only status changes a project may make (one transition service uses it).
ALLOWED: dict[str, tuple[str, ...]] = {
    ProjectStatus.PROPOSED: (
        ProjectStatus.AWAITING_APPROVAL,
        ProjectStatus.ACTIVE,
        ProjectStatus.WITHDRAWN,
    ),
    ProjectStatus.AWAITING_APPROVAL: (ProjectStatus.ACTIVE, ProjectStatus.REJECTED),
    ProjectStatus.ACTIVE: (ProjectStatus.CLOSED,),
    ProjectStatus.CLOSED: (),
    ProjectStatus.WITHDRAWN: (),
    ProjectStatus.REJECTED: (),
}


class InvitationKind(models.TextChoices):
    COFOUNDER = "cofounder", _("Invitation to co-found")
    PARTNER = "partner", _("Invitation to join as partner")
    REQUEST = "request", _("Request to join")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the NSO")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class IdeaReplyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Project proposed")
    DECLINED = "declined", _("Declined")
