"""State changes of the National and European Quality Label (SPEC R16-R26a).

Every function here is atomic, named after the rule it implements, writes a
QualityStatusChange row where a status changes, and queues mail with on_commit.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Country, User
from labels.enums import (
    NQL_ALLOWED,
    NQL_COUNTED,
    QUALITY_ELIGIBILITY_QUESTIONS,
    EQLCandidateStatus,
    EvaluationResult,
    NQLStatus,
    QualityCriterion,
    QualitySubCriterion,
)
from labels.models.quality import (
    EuropeanQualityLabel,
    EuropeanQualityLabelCandidate,
    PupilQualityCertificate,
    QualityCountrySettings,
    QualityEvaluation,
    QualityEvidenceFile,
    QualityLabelApplication,
    QualityRubric,
    QualityStatusChange,
    school_year_of,
)
from projects.models import Project, ProjectMember

log = logging.getLogger(__name__)

# R19: at most four submitted applications per teacher and school year.
MAX_SUBMISSIONS_PER_SCHOOL_YEAR = 4
# R26: each NSO nominates up to this share of its candidates.
EQL_NOMINATION_SHARE = Decimal("0.25")


class QualityLabelRefused(Exception):
    """A refusal the user must read: `message` says why, in their language."""

    def __init__(self, message, *, code: str = "refused") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


class DraftConflict(Exception):
    """R25: the draft changed since the version the save was based on (another tab)."""

    def __init__(self, current: QualityLabelApplication) -> None:
        super().__init__("stale draft version")
        self.current = current


class InvalidTransition(QualityLabelRefused):
    pass


# --- rubric and settings (R21, R23) -----------------------------------------


def current_rubric() -> QualityRubric:
    """The rubric in force; the first call creates version 1 with the defaults of R23."""
    rubric = QualityRubric.objects.filter(is_current=True).first()
    if rubric is not None:
        return rubric
    try:
        with transaction.atomic():
            return QualityRubric.objects.create(version=1, is_current=True)
    except IntegrityError:  # created by a concurrent request
        return QualityRubric.objects.get(is_current=True)


def threshold_for(country: Country | int, rubric: QualityRubric) -> int:
    """The total needed in `country`: its own threshold, else the rubric's default."""
    country_id = country if isinstance(country, int) else country.pk
    own = (
        QualityCountrySettings.objects.filter(country_id=country_id)
        .values_list("threshold", flat=True)
        .first()
    )
    return own if own is not None else rubric.default_threshold


def deadline_passed(country_id: int, today=None) -> bool:
    """R21: a country's deadline closes submissions until its school year ends."""
    today = today or timezone.localdate()
    deadline = (
        QualityCountrySettings.objects.filter(country_id=country_id)
        .values_list("deadline", flat=True)
        .first()
    )
    return bool(
        deadline
        and today > deadline
        and school_year_of(deadline) == school_year_of(today)
    )


# --- applying (R16-R21) ------------------------------------------------------


def project_membership(teacher: User, project: Project) -> ProjectMember | None:
    return (
        ProjectMember.objects.select_related("school__country")
        .filter(project=project, teacher=teacher)
        .first()
    )


def check_can_apply(teacher: User, project: Project) -> ProjectMember:
    """Refuse (R17, R20) before a teacher starts an application; returns their membership."""
    membership = project_membership(teacher, project)
    if membership is None:
        raise QualityLabelRefused(
            _("Only the project's teachers can apply for its Quality Label."),
            code="not_member",
        )
    if not project.is_european:
        raise QualityLabelRefused(
            _(
                "Only European projects (founded by schools of two different countries) "
                "can apply for the Quality Label. This project is national, and stays "
                "national even if partners from other countries join later."
            ),
            code="national",
        )
    if QualityLabelApplication.objects.filter(
        teacher=teacher, project=project
    ).exists():
        raise QualityLabelRefused(
            _(
                "You have already applied for this project's Quality Label. The label is "
                "personal: one application per teacher and project."
            ),
            code="duplicate",
        )
    return membership


def start_application(
    teacher: User, project: Project, *, answers: Mapping[str, bool]
) -> QualityLabelApplication:
    """R16: with five yeses, create the teacher's draft (R20: one per project).

    Side effects: a draft row and its first QualityStatusChange.
    """
    missing = [key for key, _q in QUALITY_ELIGIBILITY_QUESTIONS if not answers.get(key)]
    if missing:
        raise QualityLabelRefused(
            _(
                "The Quality Label is for projects where the answer to all five "
                "questions is yes. Come back when your project meets them."
            ),
            code="not_eligible",
        )
    membership = check_can_apply(teacher, project)
    now = timezone.now()
    try:
        with transaction.atomic():
            application = QualityLabelApplication.objects.create(
                project=project,
                teacher=teacher,
                school=membership.school,
                school_year=school_year_of(now),
                eligibility_confirmed_at=now,
            )
            QualityStatusChange.objects.create(
                application=application,
                actor=teacher,
                old_status="",
                new_status=NQLStatus.DRAFT,
                at=now,
            )
    except IntegrityError as exc:  # R20 under two clicks at once
        raise QualityLabelRefused(
            _(
                "You have already applied for this project's Quality Label. The label is "
                "personal: one application per teacher and project."
            ),
            code="duplicate",
        ) from exc
    return application


def save_draft(
    application: QualityLabelApplication,
    *,
    actor: User,
    data: Mapping[str, str],
    base_version: int,
) -> QualityLabelApplication:
    """R25: store what the teacher typed, if nobody saved a newer version meanwhile.

    Raises DraftConflict (with the current text) when `base_version` is stale, so a
    second tab never silently overwrites the first. Only drafts can be edited.
    """
    with transaction.atomic():
        app = QualityLabelApplication.objects.select_for_update().get(pk=application.pk)
        if app.teacher_id != actor.pk:
            raise QualityLabelRefused(
                _("This is not your application."), code="forbidden"
            )
        if app.status != NQLStatus.DRAFT:
            raise QualityLabelRefused(
                _("This application has been submitted and can no longer be edited."),
                code="not_draft",
            )
        changed = []
        for field in QualityLabelApplication.ANSWER_FIELDS:
            if field in data:
                value = str(data[field] or "")
                limit = QualityLabelApplication._meta.get_field(field).max_length
                if limit and len(value) > limit:
                    raise QualityLabelRefused(
                        _("A text is longer than %(limit)s characters.")
                        % {"limit": limit},
                        code="too_long",
                    )
                if getattr(app, field) != value:
                    setattr(app, field, value)
                    changed.append(field)
        # A stale save that changes nothing conflicts with nothing (e.g. the form post
        # racing the autosave of the same text when the teacher clicks "Submit").
        if changed and app.version != base_version:
            app.refresh_from_db()
            raise DraftConflict(app)
        if changed:
            app.version += 1
            app.updated_at = timezone.now()
            app.save(update_fields=[*changed, "version", "updated_at"])
    return app


def add_evidence_file(
    application: QualityLabelApplication, upload, *, actor: User
) -> QualityEvidenceFile:
    if application.teacher_id != actor.pk or not application.is_draft:
        raise QualityLabelRefused(
            _("Evidence can only be added to your own draft."), code="not_draft"
        )
    return QualityEvidenceFile.objects.create(
        application=application, file=upload, name=upload.name[:200]
    )


def remove_evidence_file(evidence: QualityEvidenceFile, *, actor: User) -> None:
    application = evidence.application
    if application.teacher_id != actor.pk or not application.is_draft:
        raise QualityLabelRefused(
            _("Evidence can only be removed from your own draft."), code="not_draft"
        )
    evidence.file.delete(save=False)
    evidence.delete()


def transition_application(
    application: QualityLabelApplication,
    new: str,
    *,
    actor: User | None,
    note: str = "",
) -> QualityLabelApplication:
    """Change the status (per NQL_ALLOWED) and write the audit row. Call inside atomic()."""
    old = application.status
    if new not in NQL_ALLOWED.get(old, ()):
        raise InvalidTransition(
            _("An application that is “%(old)s” cannot become “%(new)s”.")
            % {"old": NQLStatus(old).label, "new": NQLStatus(new).label},
            code="transition",
        )
    QualityStatusChange.objects.create(
        application=application,
        actor=actor,
        old_status=old,
        new_status=new,
        note=note,
    )
    application.status = new
    return application


def submit_application(
    application: QualityLabelApplication, *, actor: User
) -> QualityLabelApplication:
    """R18-R21: submit a complete draft, within the four-per-school-year cap.

    The teacher's user row is locked (select_for_update) before counting, so two
    submissions at once are serialised and a fifth cannot slip through.
    Side effects: status change + audit row; the NSO of the school's country gets
    read access to the TwinSpace (R15); a confirmation mail after commit.
    """
    now = timezone.now()
    year = school_year_of(now)
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=application.teacher_id)
        app = (
            QualityLabelApplication.objects.select_for_update()
            .select_related("project", "school")
            .get(pk=application.pk)
        )
        if app.teacher_id != actor.pk:
            raise QualityLabelRefused(
                _("This is not your application."), code="forbidden"
            )
        if app.status != NQLStatus.DRAFT:
            raise QualityLabelRefused(
                _("This application has already been submitted."), code="not_draft"
            )
        if not app.project.is_european:
            raise QualityLabelRefused(
                _("Only European projects can apply for the Quality Label."),
                code="national",
            )
        missing = app.missing_fields()
        if missing:
            names = ", ".join(
                str(QualityLabelApplication._meta.get_field(f).verbose_name)
                for f in missing
            )
            raise QualityLabelRefused(
                _("Please fill in every section before submitting: %(names)s.")
                % {"names": names},
                code="incomplete",
            )
        if deadline_passed(app.school.country_id, timezone.localdate(now)):
            raise QualityLabelRefused(
                _(
                    "The deadline set by your National Support Organisation for this "
                    "school year has passed. Your draft is kept; you can submit it when "
                    "the next school year starts."
                ),
                code="deadline",
            )
        submitted = (
            QualityLabelApplication.objects.filter(
                teacher_id=app.teacher_id, school_year=year, status__in=NQL_COUNTED
            )
            .exclude(pk=app.pk)
            .count()
        )
        if submitted >= MAX_SUBMISSIONS_PER_SCHOOL_YEAR:
            raise QualityLabelRefused(
                _(
                    "You have already submitted %(count)s Quality Label applications in "
                    "this school year (1 September to 31 August); the limit is "
                    "%(max)s. Your draft is kept and can be submitted next school year."
                )
                % {"count": submitted, "max": MAX_SUBMISSIONS_PER_SCHOOL_YEAR},
                code="cap",
            )
        transition_application(app, NQLStatus.SUBMITTED, actor=actor)
        app.school_year = year
        app.submitted_at = now
        app.version += 1
        app.save(update_fields=["status", "school_year", "submitted_at", "version"])
        _grant_twinspace_access(app)
        _mail_on_commit(app.teacher_id, "labels/mail/quality_submitted", app)
    return app


def start_evaluation(
    application: QualityLabelApplication, *, evaluator: User
) -> QualityLabelApplication:
    """The NSO takes a submitted application into evaluation (audit row)."""
    with transaction.atomic():
        app = (
            QualityLabelApplication.objects.select_for_update()
            .select_related("school")
            .get(pk=application.pk)
        )
        ensure_can_evaluate(evaluator, app)
        transition_application(app, NQLStatus.UNDER_EVALUATION, actor=evaluator)
        app.save(update_fields=["status"])
    return app


# --- evaluation (R21, R23) ---------------------------------------------------


def can_evaluate(user: User, application: QualityLabelApplication) -> bool:
    """An evaluator of the applicant's school's country, never of their own school."""
    if not (user and user.is_authenticated and user.is_staff):
        return False
    if application.status not in (NQLStatus.SUBMITTED, NQLStatus.UNDER_EVALUATION):
        return False
    if user.pk == application.teacher_id:
        return False
    if user.memberships.filter(school_id=application.school_id).exists():
        return False
    if user.is_superuser:
        return True
    return user.evaluator_countries.filter(pk=application.school.country_id).exists()


def ensure_can_evaluate(user: User, application: QualityLabelApplication) -> None:
    if user.memberships.filter(school_id=application.school_id).exists():
        raise QualityLabelRefused(
            _("You cannot evaluate an application from your own school."),
            code="own_school",
        )
    if not can_evaluate(user, application):
        raise QualityLabelRefused(
            _("You cannot evaluate this application."), code="forbidden"
        )


def compute_result(
    rubric: QualityRubric | Mapping,
    threshold: int,
    scores: Mapping[str, int],
    subscores: Mapping[str, int],
) -> tuple[int, str, list[str]]:
    """R23: the total, the result the portal proposes and the reasons for a refusal."""
    snap = rubric.snapshot() if isinstance(rubric, QualityRubric) else rubric
    reasons: list[str] = []
    for key in QualityCriterion.values:
        value = scores.get(key)
        if value is None or not 0 <= int(value) <= snap["criterion_max"]:
            raise QualityLabelRefused(
                _("Every criterion needs a score from 0 to %(max)s.")
                % {"max": snap["criterion_max"]},
                code="score",
            )
    for key in QualitySubCriterion.values:
        value = subscores.get(key)
        if value is None or not 0 <= int(value) <= snap["subcriterion_max"]:
            raise QualityLabelRefused(
                _("Every mandatory sub-criterion needs a score from 0 to %(max)s.")
                % {"max": snap["subcriterion_max"]},
                code="score",
            )
        if int(value) < snap["subcriterion_min"]:
            reasons.append(
                str(
                    _("“%(name)s” scored %(value)s; the minimum is %(min)s.")
                    % {
                        "name": QualitySubCriterion(key).label,
                        "value": value,
                        "min": snap["subcriterion_min"],
                    }
                )
            )
    total = sum(int(scores[k]) for k in QualityCriterion.values)
    if total < threshold:
        reasons.append(
            str(
                _("The total is %(total)s; the threshold is %(threshold)s.")
                % {"total": total, "threshold": threshold}
            )
        )
    result = EvaluationResult.REJECT if reasons else EvaluationResult.AWARD
    return total, result, reasons


def evaluate_application(
    application: QualityLabelApplication,
    *,
    evaluator: User,
    scores: Mapping[str, int],
    subscores: Mapping[str, int],
    decision: str | None = None,
    override_reason: str = "",
    comments: str = "",
) -> QualityEvaluation:
    """R21/R23: score, decide (confirm or override with a reason) and tell the teacher.

    Side effects: a QualityEvaluation with the rubric snapshot, the status change
    and audit row, the end of the evaluators' TwinSpace access, a mail after commit.
    """
    with transaction.atomic():
        app = (
            QualityLabelApplication.objects.select_for_update()
            .select_related("school", "project")
            .get(pk=application.pk)
        )
        ensure_can_evaluate(evaluator, app)
        rubric = current_rubric()
        threshold = threshold_for(app.school.country_id, rubric)
        total, computed, reasons = compute_result(rubric, threshold, scores, subscores)
        decision = decision or computed
        if decision not in EvaluationResult.values:
            raise QualityLabelRefused(_("Unknown decision."), code="decision")
        override_reason = (override_reason or "").strip()
        if decision != computed and not override_reason:
            raise QualityLabelRefused(
                _(
                    "Your decision differs from the result computed from the rubric: "
                    "please write the reason for overriding it."
                ),
                code="override_reason",
            )
        now = timezone.now()
        evaluation = QualityEvaluation.objects.create(
            application=app,
            evaluator=evaluator,
            rubric=rubric,
            rubric_snapshot=rubric.snapshot(),
            threshold=threshold,
            scores={k: int(scores[k]) for k in QualityCriterion.values},
            subscores={k: int(subscores[k]) for k in QualitySubCriterion.values},
            total=total,
            computed_result=computed,
            result=decision,
            override_reason=override_reason if decision != computed else "",
            comments=comments.strip(),
            decided_at=now,
        )
        new = (
            NQLStatus.AWARDED
            if decision == EvaluationResult.AWARD
            else NQLStatus.REJECTED
        )
        note = "; ".join(reasons)
        if decision != computed:
            note = f"override: {override_reason}"
        transition_application(app, new, actor=evaluator, note=note)
        app.decided_at = now
        app.save(update_fields=["status", "decided_at"])
        _end_twinspace_access(app)
        _mail_on_commit(app.teacher_id, "labels/mail/quality_decision", app)
    return evaluation


# --- TwinSpace access (R15): twinspace owns it, labels asks ------------------


def _twinspace_service(name: str):
    try:
        from twinspace import services as twinspace_services
    except ImportError:  # twinspace services not built yet
        return None
    return getattr(twinspace_services, name, None)


def _grant_twinspace_access(app: QualityLabelApplication) -> None:
    grant = _twinspace_service("grant_evaluation_access")
    if grant is None:
        log.warning("twinspace.services.grant_evaluation_access missing: no R15 access")
        return
    grant(
        app.project,
        country=app.school.country,
        reason=f"Quality Label application #{app.pk}",
    )


def _end_twinspace_access(app: QualityLabelApplication) -> None:
    # Each grant has its own end (twinspace ends the country's oldest open grant).
    end = _twinspace_service("end_evaluation_access")
    if end is None:
        return
    end(app.project, country=app.school.country)


def _mail_on_commit(user_id: int, template: str, app: QualityLabelApplication) -> None:
    from accounts.tasks import task_send_user_mail

    last = (
        app.evaluations.first()
        if app.status in (NQLStatus.AWARDED, NQLStatus.REJECTED)
        else None
    )
    # Only plain values: the task may run in another process, in the teacher's language.
    context = {
        "application_id": app.pk,
        "project_title": app.project.title,
        "status": app.status,
        "school_year": app.school_year_label,
        "url": reverse("labels:quality_edit", args=[app.pk]),
        "comments": last.comments if last else "",
        "total": last.total if last else None,
        "threshold": last.threshold if last else None,
        "awarded": app.status == NQLStatus.AWARDED,
    }
    transaction.on_commit(
        lambda: task_send_user_mail.delay(
            user_id=user_id, template=template, context=context
        )
    )


# --- European Quality Label (R26) -------------------------------------------


def find_european_candidates(school_year: int) -> list[EuropeanQualityLabelCandidate]:
    """R26, once a year: projects whose teachers got the NQL in >= 2 countries.

    A candidate row is made per (project, country) with that country's average
    NQL score for the project; existing rows are kept (idempotent).
    """
    awarded = QualityLabelApplication.objects.filter(
        status=NQLStatus.AWARDED, school_year=school_year
    )
    per_project: dict[int, set[int]] = defaultdict(set)
    for project_id, country_id in awarded.values_list(
        "project_id", "school__country_id"
    ):
        per_project[project_id].add(country_id)
    candidates = []
    with transaction.atomic():
        for project_id, countries in per_project.items():
            if len(countries) < 2:
                continue
            for country_id in countries:
                average = (
                    QualityEvaluation.objects.filter(
                        application__in=awarded.filter(
                            project_id=project_id, school__country_id=country_id
                        ),
                        result=EvaluationResult.AWARD,
                    ).aggregate(avg=Avg("total"))["avg"]
                    or 0
                )
                candidate, _created = (
                    EuropeanQualityLabelCandidate.objects.update_or_create(
                        project_id=project_id,
                        country_id=country_id,
                        school_year=school_year,
                        defaults={"average_score": Decimal(str(round(average, 2)))},
                    )
                )
                candidates.append(candidate)
    return candidates


def nomination_quota(candidate_count: int) -> int:
    """R26: up to 25% of a country's candidates (rounded down), at least one if any."""
    if candidate_count <= 0:
        return 0
    return max(1, math.floor(candidate_count * EQL_NOMINATION_SHARE))


def nominate_for_european_label(
    candidate: EuropeanQualityLabelCandidate, *, actor: User
) -> EuropeanQualityLabelCandidate:
    """R26: the NSO of the candidate's country nominates it, within its 25% quota.

    The country's candidate rows are locked before counting, so two evaluators
    nominating at once cannot exceed the quota.
    """
    from accounts.admin_scoping import evaluator_country_ids

    if not actor.is_superuser and candidate.country_id not in evaluator_country_ids(
        actor
    ):
        raise QualityLabelRefused(
            _("You can only nominate candidates of your own country."), code="forbidden"
        )
    rubric = current_rubric()
    with transaction.atomic():
        rows = list(
            EuropeanQualityLabelCandidate.objects.select_for_update()
            .filter(country_id=candidate.country_id, school_year=candidate.school_year)
            .order_by("pk")
        )
        row = next(r for r in rows if r.pk == candidate.pk)
        if row.status == EQLCandidateStatus.NOMINATED:
            return row
        if row.average_score <= rubric.eql_average_above:
            raise QualityLabelRefused(
                _(
                    "Only candidates whose average score is above %(points)s points "
                    "can be nominated."
                )
                % {"points": rubric.eql_average_above},
                code="eql_score",
            )
        quota = nomination_quota(len(rows))
        nominated = sum(1 for r in rows if r.status == EQLCandidateStatus.NOMINATED)
        if nominated >= quota:
            raise QualityLabelRefused(
                _(
                    "Your country has %(count)s candidates this year and can nominate "
                    "at most %(quota)s of them (25%%)."
                )
                % {"count": len(rows), "quota": quota},
                code="eql_quota",
            )
        row.status = EQLCandidateStatus.NOMINATED
        row.nominated_by = actor
        row.nominated_at = timezone.now()
        row.save(update_fields=["status", "nominated_by", "nominated_at"])
    return row


def award_european_label(
    project: Project, school_year: int, *, actor: User
) -> EuropeanQualityLabel:
    """R26: central staff award a nominated project the European Quality Label."""
    if not actor.is_superuser:
        raise QualityLabelRefused(
            _("Only central support staff award the European Quality Label."),
            code="forbidden",
        )
    if not EuropeanQualityLabelCandidate.objects.filter(
        project=project, school_year=school_year, status=EQLCandidateStatus.NOMINATED
    ).exists():
        raise QualityLabelRefused(
            _("Only projects nominated by an NSO can get the European Quality Label."),
            code="not_nominated",
        )
    label, _created = EuropeanQualityLabel.objects.get_or_create(
        project=project,
        school_year=school_year,
        defaults={"awarded_by": actor},
    )
    return label


# --- pupil certificates (R26a) ----------------------------------------------


def project_pupils(project: Project, teacher: User | None = None) -> list[User]:
    """The pupils of the project's TwinSpace (those `teacher` added, when given)."""
    try:
        from twinspace.enums import PUPIL_ROLES
        from twinspace.models import TwinSpaceMember
    except ImportError:  # TwinSpace not installed: teachers type the names
        return []
    members = TwinSpaceMember.objects.filter(
        twinspace__project=project, role__in=PUPIL_ROLES, user__kind="pupil"
    ).select_related("user")
    if teacher is not None:
        members = members.filter(added_by=teacher)
    return sorted((m.user for m in members), key=lambda u: u.display_name.lower())


def issue_pupil_certificates(
    application: QualityLabelApplication,
    *,
    actor: User,
    pupils: Iterable[User] = (),
    names: Iterable[str] = (),
) -> list[PupilQualityCertificate]:
    """R26a: a teacher holding the NQL issues certificates to their project's pupils."""
    if application.teacher_id != actor.pk or not application.is_awarded:
        raise QualityLabelRefused(
            _("Only a teacher who holds the label for this project can issue them."),
            code="forbidden",
        )
    issued = []
    with transaction.atomic():
        for pupil in pupils:
            cert, _c = PupilQualityCertificate.objects.get_or_create(
                application=application,
                pupil_name=pupil.display_name[:150],
                defaults={"pupil": pupil},
            )
            issued.append(cert)
        for raw in names:
            name = " ".join(raw.split())[:150]
            if not name:
                continue
            cert, _c = PupilQualityCertificate.objects.get_or_create(
                application=application, pupil_name=name
            )
            issued.append(cert)
    return issued
