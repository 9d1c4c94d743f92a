"""People, schools and the links between them (SPEC R1-R6, actors table)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_NAMES
from accounts.enums import (
    TEACHING_ROLES,
    Experience,
    HeadStatus,
    MembershipStatus,
    Role,
    SchoolLevel,
    UserKind,
)
from accounts.text import name_key


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    is_plus = models.BooleanField(_("eTwinning Plus country"), default=False)
    # R9a: the NSO approves new projects before their TwinSpace opens (on by default).
    requires_project_approval = models.BooleanField(
        _("NSO approves new projects"), default=True
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(COUNTRY_NAMES.get(self.code, self.name_en))


class User(AbstractUser):
    """Every person who signs in: teachers, heads, evaluators, staff and pupils."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=UserKind.choices, default=UserKind.MEMBER
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # NSO evaluators: the countries whose registrations and applications they handle.
    evaluator_countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="evaluators",
        verbose_name=_("evaluator for countries"),
    )
    is_anonymised = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_pupil(self) -> bool:
        return self.kind == UserKind.PUPIL

    def __str__(self) -> str:
        return self.display_name


class TeacherProfile(models.Model):
    """The registration form of R1, filled by the wizard."""

    class Step(models.TextChoices):
        ROLE = "role", _("Role")
        PROFILE = "profile", _("Profile")
        SCHOOL = "school", _("School")
        DONE = "done", _("Done")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.TEACHER
    )
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    subjects = models.JSONField(_("subjects taught"), default=list, blank=True)
    age_groups = models.JSONField(_("pupil age groups"), default=list, blank=True)
    experience = models.CharField(
        _("experience in projects"),
        max_length=20,
        choices=Experience.choices,
        default=Experience.NONE,
    )
    interests = models.JSONField(_("areas of interest"), default=list, blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    project_ideas = models.TextField(_("project ideas"), blank=True, max_length=4000)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.ROLE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("teacher profile")
        verbose_name_plural = _("teacher profiles")
        indexes = [
            # The few profiles that don't count as teachers (future teachers, inspectors):
            # stage one leaves them out with an anti-join on this small index instead of
            # reading 1.2 million profiles.
            models.Index(
                fields=["user"],
                condition=~models.Q(role__in=TEACHING_ROLES),
                name="profile_not_teaching",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def counts_as_teacher(self) -> bool:
        """Future teachers and inspectors don't found projects or count for a school."""
        return self.role in TEACHING_ROLES


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="schools",
        verbose_name=_("country"),
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=255, blank=True)
    level = models.CharField(
        _("level / type"), max_length=30, choices=SchoolLevel.choices
    )
    website = models.URLField(_("website"), blank=True)
    # Normalised keys: the database refuses a second school with the same keys (R3).
    name_key = models.CharField(max_length=200, editable=False)
    city_key = models.CharField(max_length=100, editable=False)
    registered_at = models.DateTimeField(
        _("registered"), default=timezone.now, db_index=True
    )
    registered_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "city_key", "name_key"],
                name="school_unique_per_city",
            ),
        ]
        indexes = [
            models.Index(
                fields=["country", "city_key", "name_key"], name="school_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        self.city_key = name_key(self.city)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:school", args=[self.pk])


class SchoolMembershipQuerySet(models.QuerySet):
    def current(self) -> SchoolMembershipQuerySet:
        return self.exclude(
            status__in=[MembershipStatus.ENDED, MembershipStatus.REJECTED]
        )

    def validated(self) -> SchoolMembershipQuerySet:
        return self.filter(status=MembershipStatus.VALIDATED)


class SchoolMembership(models.Model):
    """A teacher works at a school; each link is validated on its own (R3a, R5)."""

    teacher = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("teacher"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("school"),
    )
    is_main = models.BooleanField(_("main school"), default=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
        db_index=True,
    )
    head_status = models.CharField(
        _("head of school"),
        max_length=10,
        choices=HeadStatus.choices,
        default=HeadStatus.NONE,
        blank=True,
    )
    # R5: the school's confirmed head confirms the teacher works there; None = not asked or not answered.
    head_confirmed = models.BooleanField(
        _("confirmed by the head"), null=True, blank=True
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    validated_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("validated by"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = SchoolMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school"],
                condition=~Q(status__in=["ended", "rejected"]),
                name="membership_one_current_per_school",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(head_status="confirmed"),
                name="membership_one_head_per_school",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="membership_school_status")
        ]

    def __str__(self) -> str:
        return f"{self.teacher} @ {self.school}"

    @property
    def is_validated(self) -> bool:
        return self.status == MembershipStatus.VALIDATED

    @property
    def is_head(self) -> bool:
        return self.head_status == HeadStatus.CONFIRMED


class MembershipChange(models.Model):
    """Audit row: every status change of a school membership (who, when, from, to)."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Validation status")
        HEAD = "head", _("Head of school role")

    membership = models.ForeignKey(
        SchoolMembership, on_delete=models.CASCADE, related_name="changes"
    )
    # What changed: the link's status (old/new are MembershipStatus values) or the head of
    # school role (old/new are HeadStatus values).
    kind = models.CharField(
        _("what changed"), max_length=10, choices=Kind.choices, default=Kind.STATUS
    )
    old = models.CharField(max_length=20)
    new = models.CharField(max_length=20)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

    @property
    def new_label(self) -> str:
        """The new value as people read it ("Waiting for validation", not "pending")."""
        choices = HeadStatus if self.kind == self.Kind.HEAD else MembershipStatus
        try:
            return str(choices(self.new).label)
        except ValueError:
            return self.new
