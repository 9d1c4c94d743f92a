"""Projects, founders and partners (SPEC R7-R11)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School, User
from projects.enums import MemberRole, ProjectKind, ProjectStatus


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
