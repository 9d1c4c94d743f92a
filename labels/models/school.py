"""School Label models: campaigns, professional development, stage one and two (SPEC R27-R36)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labels.enums import (
    ElementRating,
    OnlineSafetyAnswer,
    PDKind,
    SchoolLabelSection,
    SchoolLabelStatus,
)

__all__ = [
    "PDActivity",
    "PDParticipation",
    "SchoolEligibility",
    "SchoolLabel",
    "SchoolLabelApplication",
    "SchoolLabelAssessment",
    "SchoolLabelCampaign",
    "SchoolLabelEvent",
    "SchoolLabelInvitation",
    "SchoolLabelSectionAnswer",
]

# R28: three criteria, fixed by the SPEC.
MIN_ACTIVE_TEACHERS = 3
MIN_NQL_PROJECTS = 1


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware datetime at which `day` starts in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class SchoolLabelCampaign(models.Model):
    """A yearly School Label round with its published dates and stage-one cut-offs (R27, R28)."""

    name = models.CharField(
        _("name"), max_length=20, unique=True, help_text=_("e.g. 2025-2026")
    )
    announced_on = models.DateField(
        _("announced on"), help_text=_("Teachers see the campaign from this day.")
    )
    opens_on = models.DateField(
        _("application window opens"),
        help_text=_("Stage one runs on this day; invited schools apply from then."),
    )
    deadline = models.DateField(_("application deadline"))
    evaluation_ends_on = models.DateField(_("evaluation ends"))
    registered_before = models.DateField(
        _("school registered on or before"),
        blank=True,
        help_text=_("Default: the opening date minus two years."),
    )
    teachers_involved_since = models.DateField(
        _("teachers involved since"),
        blank=True,
        help_text=_("Default: the opening date minus two years."),
    )
    nql_from = models.DateField(
        _("NQL granted from"),
        blank=True,
        help_text=_("Default: the opening date minus two years."),
    )
    nql_until = models.DateField(
        _("NQL granted until"), blank=True, help_text=_("Default: the opening date.")
    )
    stage_one_started_at = models.DateTimeField(
        _("stage one started"), null=True, blank=True, editable=False
    )
    stage_one_finished_at = models.DateTimeField(
        _("stage one finished"), null=True, blank=True, editable=False
    )
    selected_count = models.PositiveIntegerField(
        _("schools selected"), default=0, editable=False
    )
    invited_count = models.PositiveIntegerField(
        _("teachers invited"), default=0, editable=False
    )

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("School Label campaign")
        verbose_name_plural = _("School Label campaigns")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        two_years_before = _years_before(self.opens_on, 2)
        self.registered_before = self.registered_before or two_years_before
        self.teachers_involved_since = self.teachers_involved_since or two_years_before
        self.nql_from = self.nql_from or two_years_before
        self.nql_until = self.nql_until or self.opens_on
        super().save(*args, **kwargs)

    @property
    def label_title(self) -> str:
        return f"eTwinning School {self.name}"

    @property
    def first_year(self) -> int:
        """The school year the label starts in: the name's first year, else the opening year."""
        head = self.name[:4]
        return int(head) if head.isdigit() else self.opens_on.year

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.deadline

    def is_past_deadline(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class PDActivity(models.Model):
    """A professional development activity of the catalogue (R36)."""

    kind = models.CharField(_("kind"), max_length=20, choices=PDKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    for_school_label = models.BooleanField(
        _("School Label course"),
        default=False,
        help_text=_("One of the courses offered to School Label candidates."),
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("professional development activity")
        verbose_name_plural = _("professional development activities")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "starts_on"], name="pd_activity_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PDParticipation(models.Model):
    """A teacher took part in an activity; it counts as involvement for stage one (R28, R36)."""

    activity = models.ForeignKey(
        PDActivity,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("activity"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pd_participations",
        verbose_name=_("teacher"),
    )
    participated_on = models.DateField(_("took part on"))

    class Meta:
        verbose_name = _("professional development participation")
        verbose_name_plural = _("professional development participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "teacher"], name="pd_participation_once"
            )
        ]
        indexes = [
            models.Index(fields=["teacher", "participated_on"], name="pd_teacher_on")
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.activity}"


class SchoolEligibility(models.Model):
    """One school's stage-one figures in one campaign (R28).

    Stored for the schools stage one can select (those in a European project awarded the NQL
    inside the window: about 10,000 of 295,000 at full scale), selected or not; any other school's figures
    are computed on demand by `labels.services.school.eligibility_for`.
    """

    campaign = models.ForeignKey(
        SchoolLabelCampaign,
        on_delete=models.CASCADE,
        related_name="eligibilities",
        db_index=False,  # the unique (campaign, school) index serves it
    )
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        related_name="label_eligibilities",
    )
    registered_at = models.DateTimeField(_("registered"))
    registered_in_time = models.BooleanField(_("registered in time"))
    active_teachers = models.PositiveIntegerField(_("active teachers"))
    nql_projects = models.PositiveIntegerField(_("European NQL projects"))
    selected = models.BooleanField(_("selected"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("school eligibility")
        verbose_name_plural = _("school eligibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school"], name="eligibility_once_per_campaign"
            )
        ]
        # The selected schools of a campaign (invitations, admin lists).
        indexes = [
            models.Index(
                fields=["campaign"],
                condition=models.Q(selected=True),
                name="eligibility_selected",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} · {self.campaign_id}"

    @property
    def missing_teachers(self) -> int:
        return max(0, MIN_ACTIVE_TEACHERS - self.active_teachers)

    @property
    def missing_nql(self) -> int:
        return max(0, MIN_NQL_PROJECTS - self.nql_projects)


class SchoolLabelInvitation(models.Model):
    """A teacher of a selected school is invited to the stage-two application (R29)."""

    # Stage one inserts ~39,000 of these in one statement that takes every id from a join
    # of the very rows they point to. The database's foreign-key checks (one locking lookup
    # per row and key at commit) cost 1.2 s of a 5 s budget, so the keys carry no database
    # constraint; deletions still cascade through Django (on_delete), as everywhere.
    campaign = models.ForeignKey(
        SchoolLabelCampaign,
        on_delete=models.CASCADE,
        related_name="invitations",
        db_index=False,  # the unique (campaign, teacher) index serves it
        db_constraint=False,
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_label_invitations",
        db_constraint=False,
    )
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.CASCADE,
        related_name="label_invitations",
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    # Set once the e-mail has gone: a second run (or the run after a crash) mails only the rest.
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("School Label invitation")
        verbose_name_plural = _("School Label invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "teacher"], name="invitation_once_per_campaign"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign"],
                condition=Q(mailed_at__isnull=True),
                name="invitation_unmailed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.campaign}"


class SchoolLabelApplication(models.Model):
    """The one stage-two application of a school in a campaign (R30-R34)."""

    campaign = models.ForeignKey(
        SchoolLabelCampaign,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("campaign"),
    )
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.PROTECT,
        related_name="label_applications",
        verbose_name=_("school"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SchoolLabelStatus.choices,
        default=SchoolLabelStatus.DRAFT,
        db_index=True,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # R33: the head's declaration covers the exact content signed (SHA-256 of it).
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_name = models.CharField(_("name typed"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_digest = models.CharField(
        _("SHA-256 of the signed content"), max_length=64, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    feedback = models.TextField(_("feedback to the school"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("School Label application")
        verbose_name_plural = _("School Label applications")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school"], name="school_label_one_per_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("labels:school_application", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return bool(self.signed_digest)

    @property
    def is_editable_status(self) -> bool:
        return self.status in (SchoolLabelStatus.DRAFT, SchoolLabelStatus.REJECTED)


class SchoolLabelSectionAnswer(models.Model):
    """One section of the form; `version` grows with each save so that concurrent edits are caught."""

    application = models.ForeignKey(
        SchoolLabelApplication, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField(
        _("section"), max_length=30, choices=SchoolLabelSection.choices
    )
    policy = models.CharField(
        _("online safety policy"),
        max_length=20,
        choices=OnlineSafetyAnswer.choices,
        blank=True,
    )
    description = models.TextField(
        _("how the school does it"), blank=True, max_length=6000
    )
    evidence = models.TextField(
        _("evidence (links, documents, examples)"), blank=True, max_length=3000
    )
    plans = models.TextField(
        _("plans for the next two years"), blank=True, max_length=3000
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("application section")
        verbose_name_plural = _("application sections")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"], name="school_label_section_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def is_online_safety(self) -> bool:
        return self.key == SchoolLabelSection.ONLINE_SAFETY

    @property
    def is_complete(self) -> bool:
        if self.is_online_safety:
            return bool(
                self.policy and self.description.strip() and self.evidence.strip()
            )
        return bool(
            self.description.strip() and self.evidence.strip() and self.plans.strip()
        )


class SchoolLabelEvent(models.Model):
    """Audit row: status changes, signatures and voided signatures of an application."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        SIGNED = "signed", _("Signed by the head of school")
        SIGNATURE_VOIDED = "voided", _("Signature voided by an edit")

    application = models.ForeignKey(
        SchoolLabelApplication, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old = models.CharField(max_length=20, blank=True)
    new = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.old} → {self.new}"

    @property
    def new_label(self) -> str:
        """The new status in words (statuses are stored as keys)."""
        if self.new in SchoolLabelStatus.values:
            return str(SchoolLabelStatus(self.new).label)
        return self.new


class SchoolLabelAssessment(models.Model):
    """An evaluator's assessment of one section (R34)."""

    application = models.ForeignKey(
        SchoolLabelApplication, on_delete=models.CASCADE, related_name="assessments"
    )
    key = models.CharField(
        _("section"), max_length=30, choices=SchoolLabelSection.choices
    )
    rating = models.CharField(
        _("assessment"), max_length=10, choices=ElementRating.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("evaluator"),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"], name="school_label_assessment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.get_rating_display()}"


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "ETS-" + "".join(secrets.choice(alphabet) for _i in range(10))


class SchoolLabel(models.Model):
    """The eTwinning School Label, valid two school years, with a verifiable certificate (R35)."""

    application = models.OneToOneField(
        SchoolLabelApplication, on_delete=models.PROTECT, related_name="label"
    )
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.PROTECT,
        related_name="school_labels",
        verbose_name=_("school"),
    )
    campaign = models.ForeignKey(
        SchoolLabelCampaign,
        on_delete=models.PROTECT,
        related_name="labels",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=60)
    code = models.CharField(
        _("verification code"), max_length=20, unique=True, default=_new_code
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    awarded_at = models.DateTimeField(_("awarded"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-awarded_at"]
        verbose_name = _("eTwinning School Label")
        verbose_name_plural = _("eTwinning School Labels")

    def __str__(self) -> str:
        return f"{self.title} · {self.school}"

    def get_verify_url(self) -> str:
        return reverse("labels:verify") + f"?code={self.code}"

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day <= self.valid_until
