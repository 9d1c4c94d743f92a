"""National Quality Label and European Quality Label models (SPEC R16-R26a)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labels.enums import (
    EQLCandidateStatus,
    EvaluationResult,
    NQLStatus,
    QualityCriterion,
)
from twinspace.models import private_storage

__all__ = [
    "EuropeanQualityLabel",
    "EuropeanQualityLabelCandidate",
    "PupilQualityCertificate",
    "QualityCountrySettings",
    "QualityEvaluation",
    "QualityEvidenceFile",
    "QualityLabelApplication",
    "QualityRubric",
    "QualityStatusChange",
    "school_year_bounds",
    "school_year_label",
    "school_year_of",
]


def school_year_of(moment: datetime.date | datetime.datetime | None = None) -> int:
    """The start year of the school year containing `moment` (R19: 1 Sep - 31 Aug)."""
    if moment is None:
        moment = timezone.localdate()
    elif isinstance(moment, datetime.datetime):
        moment = (
            timezone.localtime(moment).date()
            if timezone.is_aware(moment)
            else moment.date()
        )
    return moment.year if moment.month >= 9 else moment.year - 1


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year starting in September of `year`."""
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def school_year_label(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


class QualityRubric(models.Model):
    """The scoring scale of R23; central staff edit it, one version is current.

    A decision stores the rubric it was made under (FK and a JSON snapshot), so
    later edits by central staff never change a past result.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    criterion_max = models.PositiveSmallIntegerField(
        _("maximum score per criterion"), default=6
    )
    subcriterion_max = models.PositiveSmallIntegerField(
        _("maximum score per mandatory sub-criterion"), default=6
    )
    subcriterion_min = models.PositiveSmallIntegerField(
        _("minimum score required on each mandatory sub-criterion"), default=3
    )
    default_threshold = models.PositiveSmallIntegerField(
        _("default threshold (total needed)"),
        default=18,
        help_text=_("Used for countries that set no threshold of their own."),
    )
    eql_average_above = models.PositiveSmallIntegerField(
        _("European Quality Label: average score must be above"), default=20
    )
    is_current = models.BooleanField(_("current"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("quality label rubric")
        verbose_name_plural = _("quality label rubrics")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="quality_rubric_one_current",
            )
        ]

    def __str__(self) -> str:
        return _("Rubric v%(version)s") % {"version": self.version}

    @property
    def total_max(self) -> int:
        return self.criterion_max * len(QualityCriterion)

    def snapshot(self) -> dict:
        return {
            "version": self.version,
            "criterion_max": self.criterion_max,
            "subcriterion_max": self.subcriterion_max,
            "subcriterion_min": self.subcriterion_min,
            "default_threshold": self.default_threshold,
            "eql_average_above": self.eql_average_above,
        }


class QualityCountrySettings(models.Model):
    """Per-country options of the NQL: a threshold and an optional deadline (R21, R23)."""

    country = models.OneToOneField(
        "accounts.Country",
        on_delete=models.CASCADE,
        related_name="quality_settings",
        verbose_name=_("country"),
    )
    threshold = models.PositiveSmallIntegerField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_("Total score needed for the label; empty = the rubric's default."),
    )
    deadline = models.DateField(
        _("submission deadline"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. Applications can no longer be submitted after this day, "
            "until the school year it falls in ends."
        ),
    )

    class Meta:
        verbose_name = _("quality label country settings")
        verbose_name_plural = _("quality label country settings")

    def __str__(self) -> str:
        return str(self.country)


class QualityLabelApplication(models.Model):
    """One teacher's application for the National Quality Label of one project (R18-R24)."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="quality_applications",
        verbose_name=_("project"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quality_applications",
        verbose_name=_("teacher"),
    )
    # The applicant's school in the project: its country's NSO evaluates (R21).
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.PROTECT,
        related_name="quality_applications",
        verbose_name=_("school"),
    )
    # The school's country, copied when the application is made: the NSO evaluators' list
    # filters and orders on it with one index instead of joining 295,000 schools.
    country = models.ForeignKey(
        "accounts.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
        editable=False,
        db_index=False,  # the (country, submitted_at, id) index serves it
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NQLStatus.choices,
        default=NQLStatus.DRAFT,
        db_index=True,
    )
    # Start year of the school year (2025 = 2025-26); set again at submission.
    school_year = models.PositiveSmallIntegerField(_("school year"), db_index=True)

    # R22: one answer per criterion.
    collaboration = models.TextField(
        QualityCriterion.COLLABORATION.label, blank=True, max_length=6000
    )
    technology = models.TextField(
        QualityCriterion.TECHNOLOGY.label, blank=True, max_length=6000
    )
    pedagogy = models.TextField(
        QualityCriterion.PEDAGOGY.label, blank=True, max_length=6000
    )
    curriculum = models.TextField(
        QualityCriterion.CURRICULUM.label, blank=True, max_length=6000
    )
    results = models.TextField(
        QualityCriterion.RESULTS.label, blank=True, max_length=6000
    )
    # R20: the teacher's own contribution; R24: what evaluators cannot see in TwinSpace.
    own_contribution = models.TextField(
        _("your own contribution"), blank=True, max_length=6000
    )
    not_visible = models.TextField(
        _("what is not visible in TwinSpace"), blank=True, max_length=6000
    )
    evidence_links = models.TextField(
        _("evidence links"),
        blank=True,
        max_length=4000,
        help_text=_("One address per line."),
    )
    eligibility_confirmed_at = models.DateTimeField(
        _("five questions answered yes"), null=True, blank=True
    )
    # Optimistic concurrency for drafts (R25): every save carries the version it
    # was based on; a save based on an older version is refused, never merged.
    version = models.PositiveIntegerField(_("version"), default=1)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(
        _("decided"), null=True, blank=True, db_index=True
    )
    certificate_code = models.UUIDField(
        _("certificate code"), default=uuid.uuid4, unique=True, editable=False
    )

    ANSWER_FIELDS = (
        "collaboration",
        "technology",
        "pedagogy",
        "curriculum",
        "results",
        "own_contribution",
        "not_visible",
        "evidence_links",
    )
    REQUIRED_FIELDS = ANSWER_FIELDS[:7]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("National Quality Label application")
        verbose_name_plural = _("National Quality Label applications")
        constraints = [
            # R20: one application per teacher per project.
            models.UniqueConstraint(
                fields=["teacher", "project"], name="nql_one_per_teacher_project"
            )
        ]
        indexes = [
            models.Index(
                fields=["teacher", "school_year", "status"], name="nql_teacher_year"
            ),
            models.Index(fields=["status", "decided_at"], name="nql_status_decided"),
            # The evaluators' list: their country's applications, newest submission first.
            # (The admin adds "-id" to "-submitted_at" to make its order total.)
            models.Index(
                fields=["country", "-submitted_at", "-id"], name="nql_country_submitted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} / {self.project}"

    def save(self, *args, **kwargs) -> None:
        if self.country_id is None and self.school_id is not None:
            self.country_id = self.school.country_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("labels:quality_edit", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == NQLStatus.DRAFT

    @property
    def is_awarded(self) -> bool:
        return self.status == NQLStatus.AWARDED

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    def evidence_link_list(self) -> list[str]:
        return [
            line.strip() for line in self.evidence_links.splitlines() if line.strip()
        ]

    def missing_fields(self) -> list[str]:
        return [f for f in self.REQUIRED_FIELDS if not getattr(self, f).strip()]


def _evidence_path(instance: QualityEvidenceFile, filename: str) -> str:
    return f"labels/quality/{instance.application_id}/{uuid.uuid4().hex}/{filename}"


class QualityEvidenceFile(models.Model):
    application = models.ForeignKey(
        QualityLabelApplication,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name=_("application"),
    )
    # Evidence may show pupils: kept outside MEDIA_ROOT like TwinSpace materials, served only
    # by the permission-checked `quality_evidence` view.
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_evidence_path, max_length=300
    )
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class QualityStatusChange(models.Model):
    """Audit row: who changed an application's status, when, from what to what."""

    application = models.ForeignKey(
        QualityLabelApplication,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("application"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    old_status = models.CharField(
        _("from"), max_length=20, choices=NQLStatus.choices, blank=True
    )
    new_status = models.CharField(_("to"), max_length=20, choices=NQLStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.old_status or '-'} -> {self.new_status}"


class QualityEvaluation(models.Model):
    """An NSO decision on an application, with the rubric it was made under (R23)."""

    application = models.ForeignKey(
        QualityLabelApplication,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("application"),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    rubric = models.ForeignKey(
        QualityRubric,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("rubric"),
    )
    rubric_snapshot = models.JSONField(_("rubric as applied"))
    threshold = models.PositiveSmallIntegerField(_("threshold applied"))
    scores = models.JSONField(_("criterion scores"))
    subscores = models.JSONField(_("mandatory sub-criterion scores"))
    total = models.PositiveSmallIntegerField(_("total"))
    computed_result = models.CharField(
        _("result computed by the portal"),
        max_length=10,
        choices=EvaluationResult.choices,
    )
    result = models.CharField(
        _("decision"), max_length=10, choices=EvaluationResult.choices
    )
    override_reason = models.TextField(_("reason for overriding"), blank=True)
    comments = models.TextField(_("comments to the teacher"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("quality label evaluation")
        verbose_name_plural = _("quality label evaluations")

    def __str__(self) -> str:
        return f"{self.application} : {self.result} ({self.total})"

    @property
    def is_override(self) -> bool:
        return self.result != self.computed_result


class EuropeanQualityLabelCandidate(models.Model):
    """A project that may get the European Quality Label, as seen by one country's NSO (R26).

    Found once a year: the project's teachers hold the NQL in at least two countries.
    The NSO of each of those countries may nominate it (up to 25% of its candidates).
    """

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="eql_candidacies",
        verbose_name=_("project"),
    )
    country = models.ForeignKey(
        "accounts.Country",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("country"),
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), db_index=True)
    average_score = models.DecimalField(
        _("average NQL score in this country"), max_digits=5, decimal_places=2
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EQLCandidateStatus.choices,
        default=EQLCandidateStatus.CANDIDATE,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominated_at = models.DateTimeField(_("nominated"), null=True, blank=True)

    class Meta:
        ordering = ["-school_year", "-average_score"]
        verbose_name = _("European Quality Label candidate")
        verbose_name_plural = _("European Quality Label candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "country", "school_year"],
                name="eql_candidate_once_per_country_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.country}, {school_year_label(self.school_year)})"


class EuropeanQualityLabel(models.Model):
    """The European Quality Label a project holds for a school year (R26)."""

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="european_labels",
        verbose_name=_("project"),
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    awarded_at = models.DateTimeField(_("awarded"), default=timezone.now)

    class Meta:
        ordering = ["-school_year"]
        verbose_name = _("European Quality Label")
        verbose_name_plural = _("European Quality Labels")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "school_year"], name="eql_once_per_project_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} ({school_year_label(self.school_year)})"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


class PupilQualityCertificate(models.Model):
    """A pupil certificate issued by a teacher who holds the NQL for the project (R26a)."""

    application = models.ForeignKey(
        QualityLabelApplication,
        on_delete=models.CASCADE,
        related_name="pupil_certificates",
        verbose_name=_("label"),
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quality_certificates",
        verbose_name=_("pupil"),
    )
    pupil_name = models.CharField(_("pupil's name"), max_length=150)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        ordering = ["pupil_name"]
        verbose_name = _("pupil quality certificate")
        verbose_name_plural = _("pupil quality certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "pupil_name"], name="pupil_cert_once"
            )
        ]

    def __str__(self) -> str:
        return self.pupil_name
