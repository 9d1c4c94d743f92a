"""Projects, founders and partners (SPEC R7-R11)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Country, School, User
from projects.enums import (
    ApprovalStatus,
    IdeaReplyStatus,
    InvitationKind,
    InvitationStatus,
    MemberRole,
    ProjectKind,
    ProjectStatus,
)


class Project(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    objectives = models.TextField(_("objectives"), max_length=5000, blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("pupils' age from"), default=7)
    age_max = models.PositiveSmallIntegerField(_("pupils' age to"), default=11)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    # R8: set once, when the co-founder accepts; never recomputed.
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProjectKind.choices, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PROPOSED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    founded_at = models.DateTimeField(
        _("founded"), null=True, blank=True, db_index=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_european(self) -> bool:
        return self.kind == ProjectKind.EUROPEAN

    @property
    def is_closed(self) -> bool:
        return self.status == ProjectStatus.CLOSED

    @property
    def is_open_for_partners(self) -> bool:
        """R9/R11: invitations and join requests only while the project runs or waits."""
        return self.status in (ProjectStatus.ACTIVE, ProjectStatus.AWAITING_APPROVAL)


class ProjectMember(models.Model):
    """A teacher in a project, with the school they represent in it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="members"
    )
    teacher = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="project_memberships"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="project_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.PARTNER
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "teacher"], name="project_member_once"
            )
        ]
        indexes = [
            models.Index(fields=["teacher", "project"], name="pmember_teacher"),
            models.Index(fields=["school", "joined_at"], name="pmember_school_joined"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} in {self.project}"


class ProjectStatusChange(models.Model):
    """Audit row: every status change of a project (who, when, from, to)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_changes"
    )
    old = models.CharField(max_length=20)
    new = models.CharField(max_length=20)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("project status change")
        verbose_name_plural = _("project status changes")

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @property
    def new_display(self) -> str:
        return (
            str(ProjectStatus(self.new).label)
            if self.new in ProjectStatus.values
            else self.new
        )


class Invitation(models.Model):
    """R8/R9: an invitation to co-found or join, or a teacher's request to join."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="invitations"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=InvitationKind.choices, db_index=True
    )
    # The teacher who would join (the invitee, or the one asking to join).
    teacher = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="project_invitations",
        verbose_name=_("teacher"),
    )
    # The school the teacher would represent (known for requests; set on acceptance otherwise).
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("school"),
    )
    sent_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("sent by")
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "teacher"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_teacher",
            )
        ]
        indexes = [
            models.Index(
                fields=["teacher", "status"], name="invitation_teacher_status"
            ),
            models.Index(
                fields=["project", "status"], name="invitation_project_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.teacher} → {self.project}"

    @property
    def is_request(self) -> bool:
        return self.kind == InvitationKind.REQUEST

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING


class ProjectApproval(models.Model):
    """R9a: one NSO decision per founder country that requires approval."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="approvals"
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("project approval")
        verbose_name_plural = _("project approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "country"], name="approval_once_per_country"
            )
        ]
        indexes = [
            models.Index(fields=["country", "status"], name="approval_country_status")
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.country.code})"


class ProjectIdea(models.Model):
    """R7: an idea a validated teacher posts so that partners find it."""

    author = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="project_ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    age_groups = models.JSONField(_("pupil age groups"), default=list, blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    is_open = models.BooleanField(_("looking for partners"), default=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")
        indexes = [
            models.Index(
                fields=["is_open", "-created_at", "-id"], name="idea_open_recent"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:idea", args=[self.pk])


class IdeaReply(models.Model):
    """A teacher answers an idea: "invite me" (the author may then propose a project)."""

    idea = models.ForeignKey(
        ProjectIdea, on_delete=models.CASCADE, related_name="replies"
    )
    teacher = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="idea_replies"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IdeaReplyStatus.choices,
        default=IdeaReplyStatus.PENDING,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("answer to an idea")
        verbose_name_plural = _("answers to ideas")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "teacher"], name="idea_reply_once_per_teacher"
            )
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.idea}"


class PartnerSearchEntry(models.Model):
    """R7: one row per validated teacher with everything partner search filters on.

    Denormalised on purpose (PERF.md): every filter and the page order live on one table.
    The lists are kept as space-delimited codes for display (" mathematics physics ") and,
    for filtering, in one `facets` column (" smathematics sphysics langen a12to15 ") so that
    `contains " smathematics "` works on SQLite and, on PostgreSQL, is answered by one
    pg_trgm GIN index for any combination of filters (migration 0005); free text has its
    own trigram index. Kept in sync by projects.search.sync_teacher (called on accounts'
    post_save) and rebuilt by `manage.py rebuild_partner_search`.
    """

    teacher = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # Indexed through psearch_country_recent (country is its first column).
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    subjects = models.CharField(max_length=600, default=" ")
    languages = models.CharField(max_length=300, default=" ")
    age_groups = models.CharField(max_length=100, default=" ")
    interests = models.CharField(max_length=400, default=" ")
    # What the list filters search: " smusic langit a7to11 istem " (projects.search.facets).
    facets = models.TextField(default=" ")
    text = models.TextField(default="")
    registered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("partner search entry")
        verbose_name_plural = _("partner search entries")
        indexes = [
            models.Index(
                fields=["country", "-registered_at", "-teacher"],
                name="psearch_country_recent",
            ),
            models.Index(fields=["-registered_at", "-teacher"], name="psearch_recent"),
        ]

    def __str__(self) -> str:
        return str(self.teacher_id)
