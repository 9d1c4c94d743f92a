"""State changes of the School Label (SPEC R27-R36).

Stage one (`select_stage_one`) is set-wise: one INSERT ... SELECT stores the figures of
every school that can be selected, one INSERT ... SELECT invites the teachers of the
selected schools; then the invitations not yet mailed are mailed one by one, each marked
as it goes. Running it again
changes nothing; a run killed half-way is completed by the next one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import TEACHING_ROLES, HeadStatus, MembershipStatus, UserKind
from accounts.mail import send_user_mail
from accounts.models import School, SchoolMembership, TeacherProfile
from labels.enums import (
    SCHOOL_LABEL_ALLOWED,
    SchoolLabelSection,
    SchoolLabelStatus,
)
from labels.models import (
    PDParticipation,
    QualityLabelApplication,
    SchoolEligibility,
    SchoolLabel,
    SchoolLabelApplication,
    SchoolLabelAssessment,
    SchoolLabelCampaign,
    SchoolLabelEvent,
    SchoolLabelInvitation,
    SchoolLabelSectionAnswer,
)
from labels.models.school import (
    MIN_ACTIVE_TEACHERS,
    MIN_NQL_PROJECTS,
    local_midnight,
)
from projects.enums import ProjectKind
from projects.models import Project, ProjectMember

log = logging.getLogger(__name__)

User = get_user_model()


class SchoolLabelError(Exception):
    """A refused School Label action; the message is shown to the user."""


class EditConflict(SchoolLabelError):
    """A colleague saved the same section since this edit began (R30)."""

    def __init__(self, section: SchoolLabelSectionAnswer) -> None:
        super().__init__(
            _(
                "%(name)s saved this section while you were editing it. Their text is shown "
                "below; your text is kept in the form. Merge both and save again."
            )
            % {"name": section.updated_by.display_name if section.updated_by else "?"}
        )
        self.section = section


# --- Stage one (R28, R29) ---------------------------------------------------------------


@dataclass
class StageOneResult:
    schools: int
    selected: int
    invited_new: int
    mailed: int

    def summary(self) -> str:
        return (
            f"{self.schools} schools assessed, {self.selected} selected, "
            f"{self.invited_new} new invitations, {self.mailed} e-mails sent"
        )


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Invitations inserted at once from which the tables' statistics are refreshed.
ANALYZE_AFTER_ROWS = 1_000


def _non_teachers() -> str:
    """SELECT of the users whose profile does not count as a teacher (future teachers,
    inspectors), with the %(teacher)s and %(head)s parameters.

    A validated school link needs a finished registration, so every validated member has a
    profile: "NOT IN" this small set (partial index profile_not_teaching) leaves the
    non-teachers out without a profile probe per member."""
    return (
        f"SELECT tp.user_id FROM {_t(TeacherProfile)} tp"  # noqa: S608
        " WHERE tp.role NOT IN (%(teacher)s, %(head)s)"
    )


def _figures_query(
    campaign: SchoolLabelCampaign, *, school_ids: list[int] | None = None
) -> tuple[str, dict]:
    """The SELECT of stage one's figures: (school_id, registered_at, registered_in_time,
    active_teachers, nql_projects, selected) for the candidate schools, or for given schools.

    Only a school that took part in a European project awarded the NQL inside the window can
    be selected (MIN_NQL_PROJECTS is 1), so a full run computes the figures of those
    candidates - plus every school that already has a row for the campaign, so that a row
    never goes stale - about 10,000 schools of 295,000 at full scale. Any other school's figures are
    computed on demand, for that school alone (`eligibility_for`).

    Active teachers: validated members of the school whose role is teacher or head (future
    teachers and inspectors don't count) who joined a project or took part in a professional
    development activity since the cut-off. NQL projects: European projects with an NQL
    awarded inside the campaign's window, in which the school took part (a member of the
    project represented it, or the NQL was granted through it).
    """
    since_dt = local_midnight(campaign.teachers_involved_since)
    registered_limit = local_midnight(
        campaign.registered_before + datetime.timedelta(days=1)
    )
    nql_from = local_midnight(campaign.nql_from)
    nql_until = local_midnight(campaign.nql_until + datetime.timedelta(days=1))
    given = {f"school_{i}": int(pk) for i, pk in enumerate(school_ids or [])}
    if school_ids is None:
        only_pm = only_q = ""
        candidates = f"""
            SELECT school_id FROM nql
            UNION
            SELECT school_id FROM {_t(SchoolEligibility)} WHERE campaign_id = %(campaign)s
        """  # noqa: S608
    else:
        listed = ", ".join(f"%({name})s" for name in given) or "NULL"
        only_pm = f"AND pm.school_id IN ({listed})"
        only_q = f"AND a.school_id IN ({listed})"
        candidates = f"SELECT id AS school_id FROM {_t(School)} WHERE id IN ({listed})"  # noqa: S608
    if connection.vendor == "postgresql":
        # LATERAL: the members of the ~10,000 awarded projects through the project index,
        # not a hash of all 700,000 members (the planner's choice: 380 ms); OFFSET 0 keeps
        # the planner from flattening it back into that hash join.
        members_of_awarded = f"""
            CROSS JOIN LATERAL (
                SELECT pm.school_id FROM {_t(ProjectMember)} pm
                WHERE pm.project_id = a.project_id {only_pm} OFFSET 0
            ) pm"""  # noqa: S608
    else:
        members_of_awarded = f"""
            JOIN {_t(ProjectMember)} pm ON pm.project_id = a.project_id {only_pm}"""
    # Table names come from the models' metadata, every value is a bound parameter.
    sql = f"""
        WITH awarded AS (
            SELECT DISTINCT q.project_id, q.school_id
            FROM {_t(QualityLabelApplication)} q
            JOIN {_t(Project)} p ON p.id = q.project_id
            WHERE p.kind = %(european)s AND q.status = %(awarded)s
              AND q.decided_at >= %(nql_from)s AND q.decided_at < %(nql_until)s
        ),
        nql AS (
            -- UNION already made (school, project) pairs distinct: a plain count will do.
            SELECT x.school_id, COUNT(*) AS n FROM (
                SELECT pm.school_id, a.project_id
                FROM awarded a {members_of_awarded}
                UNION
                SELECT a.school_id, a.project_id FROM awarded a WHERE 1 = 1 {only_q}
            ) x GROUP BY x.school_id
        ),
        candidates AS ({candidates}),
        active AS (
            -- A teacher has at most one current link per school
            -- (membership_one_current_per_school), so COUNT(*) counts teachers. Only the
            -- candidates' few thousand memberships are probed, each through the teacher
            -- indexes of project members and participations.
            SELECT m.school_id, COUNT(*) AS n
            FROM {_t(SchoolMembership)} m
            JOIN candidates c ON c.school_id = m.school_id
            WHERE m.status = %(validated)s
              AND m.teacher_id NOT IN ({_non_teachers()})
              AND (EXISTS (
                       SELECT 1 FROM {_t(ProjectMember)} pm2
                       WHERE pm2.teacher_id = m.teacher_id AND pm2.joined_at >= %(since_dt)s)
                   OR EXISTS (
                       SELECT 1 FROM {_t(PDParticipation)} d
                       WHERE d.teacher_id = m.teacher_id AND d.participated_on >= %(since)s))
            GROUP BY m.school_id
        )
        SELECT s.id, s.registered_at,
               s.registered_at < %(registered_limit)s,
               COALESCE(active.n, 0), COALESCE(nql.n, 0),
               (s.registered_at < %(registered_limit)s
                AND COALESCE(active.n, 0) >= %(min_teachers)s
                AND COALESCE(nql.n, 0) >= %(min_nql)s)
        FROM candidates c
        JOIN {_t(School)} s ON s.id = c.school_id
        LEFT JOIN active ON active.school_id = s.id
        LEFT JOIN nql ON nql.school_id = s.id
    """  # noqa: S608
    ops = connection.ops
    params = {
        "european": ProjectKind.EUROPEAN.value,
        "awarded": "awarded",
        "nql_from": ops.adapt_datetimefield_value(nql_from),
        "nql_until": ops.adapt_datetimefield_value(nql_until),
        "validated": MembershipStatus.VALIDATED.value,
        "teacher": TEACHING_ROLES[0].value,
        "head": TEACHING_ROLES[1].value,
        "since_dt": ops.adapt_datetimefield_value(since_dt),
        "since": ops.adapt_datefield_value(campaign.teachers_involved_since),
        "campaign": campaign.pk,
        **given,
        "registered_limit": ops.adapt_datetimefield_value(registered_limit),
        "min_teachers": MIN_ACTIVE_TEACHERS,
        "min_nql": MIN_NQL_PROJECTS,
    }
    return sql, params


def compute_eligibility(campaign: SchoolLabelCampaign) -> None:
    """Upsert the SchoolEligibility row of every candidate school (one statement).

    Set-wise, no per-school query: see `_figures_query` for which schools and which figures.
    A row whose figures did not change is left alone (a re-run rewrites only what moved;
    `computed_at` is when the row's figures last changed).
    """
    select, params = _figures_query(campaign)
    sql = f"""
        INSERT INTO {_t(SchoolEligibility)}
            (school_id, registered_at, registered_in_time, active_teachers, nql_projects,
             selected, campaign_id, computed_at)
        SELECT f.*, %(campaign)s, %(now)s FROM ({select}) f
        WHERE 1 = 1
        ON CONFLICT (campaign_id, school_id) DO UPDATE SET
            registered_at = excluded.registered_at,
            registered_in_time = excluded.registered_in_time,
            active_teachers = excluded.active_teachers,
            nql_projects = excluded.nql_projects,
            selected = excluded.selected,
            computed_at = excluded.computed_at
        WHERE {_t(SchoolEligibility)}.active_teachers <> excluded.active_teachers
           OR {_t(SchoolEligibility)}.nql_projects <> excluded.nql_projects
           OR {_t(SchoolEligibility)}.registered_in_time <> excluded.registered_in_time
           OR {_t(SchoolEligibility)}.selected <> excluded.selected
    """  # noqa: S608
    # A school selected by an earlier run stays selected: its teachers were invited already.
    keep_selected = f"""
        UPDATE {_t(SchoolEligibility)} SET selected = %(true)s
        WHERE campaign_id = %(campaign)s AND selected = %(false)s AND school_id IN (
            SELECT school_id FROM {_t(SchoolLabelInvitation)} WHERE campaign_id = %(campaign)s)
    """  # noqa: S608
    params |= {
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "true": True,
        "false": False,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.get_autocommit():
            # For this transaction only: JIT compiling this one-off plan costs more than it
            # saves, and the commit need not wait for the WAL flush, because a run lost in a
            # crash is simply run again.
            cursor.execute(
                "SELECT set_config('jit', 'off', true),"
                " set_config('synchronous_commit', 'off', true)"
            )
        cursor.execute(sql, params)
        cursor.execute(keep_selected, params)


def eligibilities_for(
    campaign: SchoolLabelCampaign, schools: list[School]
) -> dict[int, SchoolEligibility]:
    """The schools' stage-one figures in the campaign by school id; empty before stage one.

    The stored row where stage one computed one (candidates and selected schools); for the
    other schools, their figures computed now in one query and not stored (not selected).
    Two queries whatever the number of schools.
    """
    if campaign.stage_one_started_at is None or not schools:
        return {}
    found = {
        e.school_id: e
        for e in SchoolEligibility.objects.filter(campaign=campaign, school__in=schools)
    }
    missing = {s.pk: s for s in schools if s.pk not in found}
    if not missing:
        return found
    sql, params = _figures_query(campaign, school_ids=list(missing))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    now = timezone.now()
    for school_id, _registered_at, in_time, active, nql, _selected in rows:
        school = missing[school_id]
        found[school_id] = SchoolEligibility(
            campaign=campaign,
            school=school,
            registered_at=school.registered_at,
            registered_in_time=bool(in_time),
            active_teachers=active,
            nql_projects=nql,
            selected=False,
            computed_at=now,
        )
    return found


def eligibility_for(
    campaign: SchoolLabelCampaign, school: School
) -> SchoolEligibility | None:
    """One school's stage-one figures (see `eligibilities_for`), None before stage one."""
    return eligibilities_for(campaign, [school]).get(school.pk)


def invite_selected_teachers(campaign: SchoolLabelCampaign) -> int:
    """Invite every validated teacher of the selected schools (one statement); returns new rows.

    A teacher already invited (for this campaign) is skipped by the unique constraint.
    """
    sql = f"""
        INSERT INTO {_t(SchoolLabelInvitation)} (campaign_id, teacher_id, school_id, created_at)
        SELECT e.campaign_id, m.teacher_id, MIN(m.school_id), %(now)s
        FROM {_t(SchoolEligibility)} e
        JOIN {_t(SchoolMembership)} m ON m.school_id = e.school_id AND m.status = %(validated)s
        JOIN {_t(User)} u ON u.id = m.teacher_id
        WHERE e.campaign_id = %(campaign)s AND e.selected = %(true)s
          AND u.kind = %(member)s AND u.is_active = %(true)s
          AND m.teacher_id NOT IN ({_non_teachers()})
        GROUP BY e.campaign_id, m.teacher_id
        ON CONFLICT (campaign_id, teacher_id) DO NOTHING
    """  # noqa: S608
    params = {
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "validated": MembershipStatus.VALIDATED.value,
        "campaign": campaign.pk,
        "true": True,
        "teacher": TEACHING_ROLES[0].value,
        "head": TEACHING_ROLES[1].value,
        "member": UserKind.MEMBER.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = max(cursor.rowcount, 0)
        if connection.vendor == "postgresql" and inserted >= ANALYZE_AFTER_ROWS:
            # Fresh statistics after a bulk insert: until autovacuum analyses the rows,
            # the planner believes the campaign has no invitation, and the next run's
            # "keep earlier selections" statement joined 5,000 schools to 39,000
            # invitations row by row (56 s measured; 10 ms with statistics). A few new
            # rows don't mislead it.
            cursor.execute(
                f"ANALYZE {_t(SchoolLabelInvitation)}, {_t(SchoolEligibility)}"
            )
        return inserted


def mail_invitations(
    campaign: SchoolLabelCampaign,
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 500,
) -> int:
    """Mail every invitation not mailed yet, marking each as it goes; returns the mails sent.

    Each row is marked right after its mail, so a run that dies loses at most one mark (that
    teacher may get the mail twice); nothing already marked is mailed again. Each batch goes
    through one mail connection (one SMTP session, not one per mail). On PostgreSQL the
    marks commit without waiting for the WAL flush (1 ms each otherwise): a database crash
    could forget the last fraction of a second of marks, and those few teachers would get
    the mail again, a fair price for halving the time of 39,000 mails.
    """
    sent = 0
    async_marks = connection.vendor == "postgresql" and connection.get_autocommit()
    if async_marks:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    try:
        while True:
            rows = list(
                SchoolLabelInvitation.objects.filter(
                    campaign=campaign, mailed_at__isnull=True
                )
                .select_related("teacher", "school")
                .order_by("pk")[:batch]
            )
            if not rows:
                return sent
            with get_connection() as mail_connection:
                for invitation in rows:
                    send_user_mail(
                        invitation.teacher,
                        "labels/mail/school_label_invitation",
                        {"campaign": campaign, "school": invitation.school},
                        connection=mail_connection,
                    )
                    SchoolLabelInvitation.objects.filter(pk=invitation.pk).update(
                        mailed_at=timezone.now()
                    )
                    sent += 1
            if progress:
                progress(sent)
    finally:
        if async_marks:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def select_stage_one(
    campaign: SchoolLabelCampaign,
    *,
    progress: Callable[[str], None] | None = None,
) -> StageOneResult:
    """R28 + R29 for a campaign: every school assessed, invitations, e-mails.

    Side effects: upserts the SchoolEligibility rows of the candidate schools, inserts
    SchoolLabelInvitation rows, sends one e-mail per new invitation, stamps the campaign's
    stage-one dates and counts.
    """
    say = progress or (lambda _msg: None)
    SchoolLabelCampaign.objects.filter(pk=campaign.pk).update(
        stage_one_started_at=timezone.now()
    )
    with transaction.atomic():
        say("Computing every school's figures...")
        compute_eligibility(campaign)
        say("Inviting the teachers of the selected schools...")
        invited_new = invite_selected_teachers(campaign)
    say("Mailing the invitations...")
    mailed = mail_invitations(campaign, progress=lambda n: say(f"  {n} e-mails sent"))
    schools = School.objects.count()
    selected = SchoolEligibility.objects.filter(
        campaign=campaign, selected=True
    ).count()
    invited = SchoolLabelInvitation.objects.filter(campaign=campaign).count()
    SchoolLabelCampaign.objects.filter(pk=campaign.pk).update(
        stage_one_finished_at=timezone.now(),
        selected_count=selected,
        invited_count=invited,
    )
    return StageOneResult(
        schools=schools, selected=selected, invited_new=invited_new, mailed=mailed
    )


def campaigns_due_for_stage_one(today: datetime.date | None = None) -> QuerySet:
    """Campaigns open (opening date reached, deadline not passed) whose stage one never finished."""
    today = today or timezone.localdate()
    return SchoolLabelCampaign.objects.filter(
        opens_on__lte=today, deadline__gte=today, stage_one_finished_at__isnull=True
    )


# --- Stage two (R30-R33) ----------------------------------------------------------------


def is_school_teacher(user, school: School) -> bool:
    if not (user and user.is_authenticated) or user.is_pupil:
        return False
    profile = getattr(user, "profile", None)
    if profile is None or profile.role not in TEACHING_ROLES:
        return False
    return SchoolMembership.objects.filter(
        teacher=user, school=school, status=MembershipStatus.VALIDATED
    ).exists()


def is_school_head(user, school: School) -> bool:
    return bool(
        user
        and user.is_authenticated
        and SchoolMembership.objects.filter(
            teacher=user,
            school=school,
            status=MembershipStatus.VALIDATED,
            head_status=HeadStatus.CONFIRMED,
        ).exists()
    )


def school_is_selected(campaign: SchoolLabelCampaign, school: School) -> bool:
    return SchoolEligibility.objects.filter(
        campaign=campaign, school=school, selected=True
    ).exists()


def _ensure_sections(application: SchoolLabelApplication) -> None:
    existing = set(application.sections.values_list("key", flat=True))
    SchoolLabelSectionAnswer.objects.bulk_create(
        [
            SchoolLabelSectionAnswer(application=application, key=key)
            for key in SchoolLabelSection.values
            if key not in existing
        ],
        ignore_conflicts=True,
    )


def start_application(
    campaign: SchoolLabelCampaign, school: School, *, actor
) -> tuple[SchoolLabelApplication, bool]:
    """R30: a teacher of a selected school starts its application, or joins the one started.

    Two colleagues starting at the same moment end with one application (the unique
    constraint decides; the loser reads the winner's row). Returns (application, created).
    """
    if not is_school_teacher(actor, school):
        raise SchoolLabelError(_("Only validated teachers of this school can apply."))
    if not school_is_selected(campaign, school):
        raise SchoolLabelError(_("This school was not selected in stage one."))
    if not campaign.is_open():
        raise SchoolLabelError(_("The application window is not open."))
    existing = SchoolLabelApplication.objects.filter(
        campaign=campaign, school=school
    ).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            application = SchoolLabelApplication.objects.create(
                campaign=campaign, school=school, started_by=actor
            )
            _ensure_sections(application)
            SchoolLabelEvent.objects.create(
                application=application,
                kind=SchoolLabelEvent.Kind.STATUS,
                old="",
                new=SchoolLabelStatus.DRAFT,
                actor=actor,
                note="started",
            )
    except IntegrityError:
        return SchoolLabelApplication.objects.get(
            campaign=campaign, school=school
        ), False
    return application, True


def ensure_editable(application: SchoolLabelApplication) -> None:
    if application.campaign.is_past_deadline():
        raise SchoolLabelError(_("The deadline has passed: the application is locked."))
    if not application.is_editable_status:
        raise SchoolLabelError(
            _("The application has been submitted and cannot be changed now.")
        )


def _void_signature(application: SchoolLabelApplication, *, actor) -> None:
    if not application.is_signed:
        return
    SchoolLabelEvent.objects.create(
        application=application,
        kind=SchoolLabelEvent.Kind.SIGNATURE_VOIDED,
        actor=actor,
        note=f"digest {application.signed_digest}",
    )
    application.signed_by = None
    application.signed_at = None
    application.signed_name = ""
    application.signed_digest = ""
    application.save(
        update_fields=["signed_by", "signed_at", "signed_name", "signed_digest"]
    )


SECTION_FIELDS = ("policy", "description", "evidence", "plans")


def save_section(
    application: SchoolLabelApplication,
    key: str,
    data: dict[str, str],
    *,
    base_version: int,
    actor,
) -> SchoolLabelSectionAnswer:
    """Save one section (R30). Refuses with EditConflict when a colleague saved it since
    `base_version` and the texts differ; any real change voids the head's signature (R33).
    Side effects: the section's version grows by one; a SIGNATURE_VOIDED event if signed.
    """
    if not is_school_teacher(actor, application.school):
        raise SchoolLabelError(_("Only validated teachers of this school can edit."))
    with transaction.atomic():
        app = (
            SchoolLabelApplication.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .get(pk=application.pk)
        )
        ensure_editable(app)
        section = (
            SchoolLabelSectionAnswer.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(application=app, key=key)
        )
        new = {f: (data.get(f) or "").strip() for f in SECTION_FIELDS}
        if key != SchoolLabelSection.ONLINE_SAFETY:
            new["policy"] = ""
        old = {f: getattr(section, f) for f in SECTION_FIELDS}
        if new == old:
            return section  # nothing to save (an autosave of unchanged text)
        # A newer version by a colleague is a conflict. A newer version by the same teacher
        # is their own autosave landing just before their form post: no one to protect.
        if section.version != base_version and section.updated_by_id != actor.pk:
            raise EditConflict(section)
        for field, value in new.items():
            setattr(section, field, value)
        section.version += 1
        section.updated_by = actor
        section.updated_at = timezone.now()
        section.save()
        _void_signature(app, actor=actor)
    return section


def canonical_content(application: SchoolLabelApplication) -> str:
    """The exact content the head signs: a stable JSON text of every section (R33)."""
    sections = sorted(application.sections.all(), key=lambda s: s.key)
    payload = {
        "application": application.pk,
        "campaign": application.campaign.name,
        "school": application.school_id,
        "sections": [
            {f: getattr(s, f) for f in ("key", *SECTION_FIELDS)} for s in sections
        ],
    }
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def content_digest(application: SchoolLabelApplication) -> str:
    return hashlib.sha256(canonical_content(application).encode("utf-8")).hexdigest()


def is_complete(application: SchoolLabelApplication) -> bool:
    sections = list(application.sections.all())
    return len(sections) == len(SchoolLabelSection.values) and all(
        s.is_complete for s in sections
    )


def signature_is_valid(application: SchoolLabelApplication) -> bool:
    return bool(
        application.signed_digest
    ) and application.signed_digest == content_digest(application)


def _normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def sign_application(
    application: SchoolLabelApplication, *, head, typed_name: str, password: str
) -> SchoolLabelApplication:
    """R33: the school's confirmed head signs the complete application.

    Checks the typed full name and the password; stores who, when and the SHA-256 of the
    canonical content; writes a SIGNED event.
    """
    if not is_school_head(head, application.school):
        raise SchoolLabelError(_("Only the school's confirmed head can sign."))
    if not head.check_password(password):
        raise SchoolLabelError(_("The password is not correct."))
    expected = head.get_full_name() or head.username
    if _normalise_name(typed_name) != _normalise_name(expected):
        raise SchoolLabelError(
            _("Type your full name exactly as in your profile: %(name)s")
            % {"name": expected}
        )
    with transaction.atomic():
        app = (
            SchoolLabelApplication.objects.select_for_update(of=("self",))
            .select_related("campaign")
            .get(pk=application.pk)
        )
        ensure_editable(app)
        if not is_complete(app):
            raise SchoolLabelError(_("Every section must be complete before signing."))
        app.signed_by = head
        app.signed_name = " ".join(typed_name.split())
        app.signed_at = timezone.now()
        app.signed_digest = content_digest(app)
        app.save(
            update_fields=["signed_by", "signed_name", "signed_at", "signed_digest"]
        )
        SchoolLabelEvent.objects.create(
            application=app,
            kind=SchoolLabelEvent.Kind.SIGNED,
            actor=head,
            note=f"digest {app.signed_digest}",
        )
    return app


def transition_school_application(
    application: SchoolLabelApplication, new: str, *, actor, note: str = ""
) -> SchoolLabelApplication:
    """Change the status (SCHOOL_LABEL_ALLOWED) and write an audit row. Call inside atomic()."""
    if new not in SCHOOL_LABEL_ALLOWED.get(application.status, ()):
        raise SchoolLabelError(
            _("This application cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": application.get_status_display(),
                "new": SchoolLabelStatus(new).label,
            }
        )
    SchoolLabelEvent.objects.create(
        application=application,
        kind=SchoolLabelEvent.Kind.STATUS,
        old=application.status,
        new=new,
        actor=actor,
        note=note,
    )
    application.status = new
    return application


def _mail_school_teachers(application: SchoolLabelApplication, template: str) -> None:
    from accounts.tasks import task_send_user_mail

    teacher_ids = list(
        SchoolMembership.objects.filter(
            school=application.school_id, status=MembershipStatus.VALIDATED
        ).values_list("teacher_id", flat=True)
    )
    context = {"application_id": application.pk, "school": application.school.name}
    for teacher_id in teacher_ids:
        transaction.on_commit(
            lambda tid=teacher_id: task_send_user_mail.delay(
                user_id=tid, template=template, context=context
            )
        )


def submit_school_application(
    application: SchoolLabelApplication, *, actor
) -> SchoolLabelApplication:
    """R30, R33, R34: submit (or resubmit after a rejection) a complete, validly signed application."""
    if not is_school_teacher(actor, application.school):
        raise SchoolLabelError(_("Only validated teachers of this school can submit."))
    with transaction.atomic():
        app = (
            SchoolLabelApplication.objects.select_for_update(of=("self",))
            .select_related("campaign", "school")
            .get(pk=application.pk)
        )
        ensure_editable(app)
        if not is_complete(app):
            raise SchoolLabelError(
                _("Every section must be complete before submitting.")
            )
        if not signature_is_valid(app):
            raise SchoolLabelError(
                _("The head of school must sign the application as it is now.")
            )
        transition_school_application(app, SchoolLabelStatus.SUBMITTED, actor=actor)
        app.submitted_at = timezone.now()
        app.submitted_by = actor
        app.save(update_fields=["status", "submitted_at", "submitted_by"])
    return app


def label_validity(
    campaign: SchoolLabelCampaign,
) -> tuple[datetime.date, datetime.date]:
    """Two school years from September of the campaign's first year (R35)."""
    first = campaign.first_year
    return datetime.date(first, 9, 1), datetime.date(first + 2, 8, 31)


def decide_school_application(
    application: SchoolLabelApplication,
    *,
    award: bool,
    actor,
    feedback: str,
) -> SchoolLabelApplication:
    """R34, R35: the NSO awards the label (creating it) or returns the application with feedback.

    Side effects: status change with audit row, SchoolLabel on award, mail to the school's
    teachers after commit.
    """
    from accounts.rules import is_central_staff

    if not (
        is_central_staff(actor)
        or actor.evaluator_countries.filter(pk=application.school.country_id).exists()
    ):
        raise SchoolLabelError(_("Only evaluators of the school's country can decide."))
    if not award and not feedback.strip():
        raise SchoolLabelError(_("Tell the school what to improve."))
    with transaction.atomic():
        app = (
            SchoolLabelApplication.objects.select_for_update(of=("self",))
            .select_related("campaign", "school")
            .get(pk=application.pk)
        )
        new = SchoolLabelStatus.AWARDED if award else SchoolLabelStatus.REJECTED
        transition_school_application(app, new, actor=actor, note=feedback)
        app.decided_at = timezone.now()
        app.decided_by = actor
        app.feedback = feedback.strip()
        app.save(update_fields=["status", "decided_at", "decided_by", "feedback"])
        if award:
            valid_from, valid_until = label_validity(app.campaign)
            SchoolLabel.objects.create(
                application=app,
                school=app.school,
                campaign=app.campaign,
                title=app.campaign.label_title,
                valid_from=valid_from,
                valid_until=valid_until,
            )
        _mail_school_teachers(
            app,
            "labels/mail/school_label_awarded"
            if award
            else "labels/mail/school_label_returned",
        )
    return app


def save_assessment(
    application: SchoolLabelApplication, key: str, *, rating: str, comment: str, actor
) -> SchoolLabelAssessment:
    assessment, _created = SchoolLabelAssessment.objects.update_or_create(
        application=application,
        key=key,
        defaults={"rating": rating, "comment": comment, "evaluator": actor},
    )
    return assessment


# --- The certificate (R35) ----------------------------------------------------------------

_FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def _pil_font(size: int, *, bold: bool = False):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(f"{_FONT_DIR}/{name}", size)
    except OSError:  # no DejaVu on this machine: Pillow's own scalable font
        return ImageFont.load_default(size=size)


def certificate_lines(label: SchoolLabel) -> list[tuple[str, str]]:
    """(style, text) lines shared by the PNG and the PDF."""
    school = label.school
    return [
        ("small", "eTwinning"),
        ("title", label.title),
        ("body", _("is awarded to")),
        ("school", school.name),
        ("body", f"{school.city}, {school.country.name}"),
        (
            "body",
            _("Valid from %(start)s to %(end)s")
            % {
                "start": label.valid_from.strftime("%d.%m.%Y"),
                "end": label.valid_until.strftime("%d.%m.%Y"),
            },
        ),
        ("code", _("Verification code: %(code)s") % {"code": label.code}),
    ]


def certificate_png(label: SchoolLabel, verify_url: str) -> bytes:
    """A 1600x1131 (A4 landscape ratio) PNG certificate drawn with Pillow."""
    import io

    from PIL import Image, ImageDraw

    width, height = 1600, 1131
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    blue, yellow = "#0b3d91", "#ffcc00"
    draw.rectangle([0, 0, width, 150], fill=blue)
    draw.rectangle([0, 150, width, 165], fill=yellow)
    draw.rectangle([30, 195, width - 30, height - 30], outline=blue, width=4)
    sizes = {"small": 34, "title": 72, "body": 34, "school": 60, "code": 28}
    y = 40
    draw.text(
        (width / 2, 75),
        "eTwinning",
        font=_pil_font(64, bold=True),
        fill="#ffffff",
        anchor="mm",
    )
    y = 280
    for style, text in certificate_lines(label)[1:]:
        font = _pil_font(sizes[style], bold=style in {"title", "school"})
        fill = blue if style in {"title", "school"} else "#333333"
        draw.text((width / 2, y), text, font=font, fill=fill, anchor="mm")
        y += {"title": 130, "school": 110, "body": 80, "code": 60}[style]
    draw.text(
        (width / 2, height - 80),
        verify_url,
        font=_pil_font(24),
        fill="#5c6577",
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def certificate_pdf(label: SchoolLabel, verify_url: str) -> bytes:
    """An A4 landscape PDF certificate drawn with reportlab."""
    import io

    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    regular, bold = "Helvetica", "Helvetica-Bold"
    try:
        if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVu", f"{_FONT_DIR}/DejaVuSans.ttf"))
            pdfmetrics.registerFont(
                TTFont("DejaVu-Bold", f"{_FONT_DIR}/DejaVuSans-Bold.ttf")
            )
        regular, bold = "DejaVu", "DejaVu-Bold"
    except Exception:
        log.info("DejaVu fonts missing; the PDF certificate uses Helvetica")
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{label.title} · {label.school.name}")
    blue = HexColor("#0b3d91")
    pdf.setFillColor(blue)
    pdf.rect(0, height - 90, width, 90, fill=1, stroke=0)
    pdf.setFillColor(HexColor("#ffcc00"))
    pdf.rect(0, height - 98, width, 8, fill=1, stroke=0)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.setFont(bold, 36)
    pdf.drawCentredString(width / 2, height - 60, "eTwinning")
    sizes = {"title": 36, "body": 16, "school": 28, "code": 13}
    y = height - 170
    for style, text in certificate_lines(label)[1:]:
        pdf.setFillColor(blue if style in {"title", "school"} else HexColor("#333333"))
        pdf.setFont(bold if style in {"title", "school"} else regular, sizes[style])
        pdf.drawCentredString(width / 2, y, text)
        y -= {"title": 60, "school": 50, "body": 36, "code": 30}[style]
    pdf.setFillColor(HexColor("#5c6577"))
    pdf.setFont(regular, 11)
    pdf.drawCentredString(width / 2, 40, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
