"""State changes of the accounts app: registration (R1, R3), validation (R5), schools (R3a).

Every status change of a school link goes through `_transition`, which locks the row,
checks the ALLOWED table, writes a MembershipChange audit row and mails the teacher after
commit. Views and admin actions call these functions and nothing else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import HeadStatus, MembershipStatus, Role
from accounts.models import (
    Country,
    MembershipChange,
    School,
    SchoolMembership,
    TeacherProfile,
    User,
)
from accounts.text import name_key

EVALUATOR_GROUP = "NSO evaluators"

# The admin models an evaluator works with; each app's ModelAdmin scopes rows to the evaluator's countries.
EVALUATOR_PERMISSIONS = {
    "accounts": [
        "view_school",
        "change_school",
        "view_schoolmembership",
        "change_schoolmembership",
        "view_teacherprofile",
        "view_membershipchange",
    ],
}

S = MembershipStatus

# R5: which status may follow which. The evaluator has the last word: a head who never
# answers must not block a teacher for ever, so an evaluator may decide while the head's
# answer is still missing (the admin shows that it is missing).
ALLOWED: dict[str, tuple[str, ...]] = {
    S.AWAITING_HEAD: (S.PENDING, S.VALIDATED, S.REJECTED, S.ENDED),
    S.PENDING: (S.VALIDATED, S.REJECTED, S.ENDED),
    S.VALIDATED: (S.ENDED,),
    S.REJECTED: (),
    S.ENDED: (),
}

# Mail sent to the teacher when their link reaches a status.
STATUS_MAIL = {
    S.AWAITING_HEAD: "accounts/mail/membership_requested",
    S.PENDING: "accounts/mail/membership_requested",
    S.VALIDATED: "accounts/mail/membership_validated",
    S.REJECTED: "accounts/mail/membership_rejected",
}


class MembershipError(Exception):
    """A validation step that the rules do not allow; the message is shown to the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class InvalidTransition(MembershipError):
    def __init__(self, old: str, new: str) -> None:
        super().__init__(
            _("A school link that is “%(old)s” cannot become “%(new)s”.")
            % {"old": S(old).label, "new": S(new).label}
        )
        self.old, self.new = old, new


# --- Evaluators ----------------------------------------------------------------------


def ensure_evaluator_group() -> Group:
    """Create (or refresh) the NSO evaluators' group with its admin permissions.

    Also run on post_migrate (accounts.apps), so a fresh database has the group.
    """
    group, _created = Group.objects.get_or_create(name=EVALUATOR_GROUP)
    for app_label, codenames in EVALUATOR_PERMISSIONS.items():
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        group.permissions.add(*perms)
    return group


# --- Mail ----------------------------------------------------------------------------


def _mail_after_commit(user_id: int, template: str, context: dict) -> None:
    from accounts.tasks import task_send_user_mail

    transaction.on_commit(
        lambda: task_send_user_mail.delay(
            user_id=user_id, template=template, context=context
        )
    )


def _membership_mail_context(membership: SchoolMembership) -> dict:
    school = membership.school
    return {
        "school_name": school.name,
        "school_city": school.city,
        "country_code": school.country.code,
        "school_url": school.get_absolute_url(),
        "awaiting_head": membership.status == S.AWAITING_HEAD,
    }


# --- Registration wizard (R1) --------------------------------------------------------


def get_profile(user: User) -> TeacherProfile:
    profile, _created = TeacherProfile.objects.get_or_create(user=user)
    return profile


def choose_role(user: User, role: str) -> TeacherProfile:
    """Wizard step 1: the person says what they are; moves the wizard to the profile step."""
    if role not in Role.values:
        raise MembershipError(_("Choose one of the roles offered."))
    profile = get_profile(user)
    profile.role = role
    if profile.step == TeacherProfile.Step.ROLE:
        profile.step = TeacherProfile.Step.PROFILE
    profile.save(update_fields=["role", "step"])
    return profile


def finish_profile_step(profile: TeacherProfile) -> TeacherProfile:
    """Wizard step 2 saved (the form saved the R1 fields): go on to the school step."""
    if profile.step in (TeacherProfile.Step.ROLE, TeacherProfile.Step.PROFILE):
        profile.step = TeacherProfile.Step.SCHOOL
        profile.save(update_fields=["step"])
    return profile


def finish_registration(profile: TeacherProfile) -> TeacherProfile:
    if profile.step != TeacherProfile.Step.DONE:
        profile.step = TeacherProfile.Step.DONE
        profile.save(update_fields=["step"])
    return profile


# --- Schools (R3) --------------------------------------------------------------------


def school_by_keys(country: Country, city: str, name: str) -> School | None:
    """The school that R3 considers the same: same country, city and name keys."""
    return (
        School.objects.select_related("country")
        .filter(country=country, city_key=name_key(city), name_key=name_key(name))
        .first()
    )


@dataclass
class SchoolRegistration:
    school: School
    created: bool


def register_school(
    *,
    name: str,
    country: Country,
    city: str,
    level: str,
    address: str = "",
    website: str = "",
    registered_by: User | None = None,
) -> SchoolRegistration:
    """R3: register a school, or return the one already registered under the same keys.

    Two teachers registering the same school at the same moment both end at one row: the
    insert runs in a savepoint and the database's unique constraint (school_unique_per_city)
    refuses the second; the loser then reads the winner's row.
    """
    existing = school_by_keys(country, city, name)
    if existing is not None:
        return SchoolRegistration(existing, False)
    school = School(
        name=" ".join(name.split()),
        country=country,
        city=" ".join(city.split()),
        level=level,
        address=address.strip(),
        website=website.strip(),
        registered_by=registered_by,
    )
    try:
        with transaction.atomic():
            school.save()
    except IntegrityError:
        existing = school_by_keys(country, city, name)
        if existing is None:  # pragma: no cover - another constraint failed
            raise
        return SchoolRegistration(existing, False)
    return SchoolRegistration(school, True)


def _significant_tokens(key: str) -> list[str]:
    # Words that carry the name: "liceul teoretic mihai eminescu" -> ["liceul", "teoretic",
    # "mihai", "eminescu"]; numbers count too ("nr 1" -> "1") because they tell schools apart.
    return [t for t in key.split() if len(t) >= 4 or t.isdigit()]


def find_near_schools(
    country: Country, city: str, name: str, *, limit: int = 5
) -> list[School]:
    """Schools in the same country and city whose names look like `name` (offered before
    a new school is registered, R3). On PostgreSQL: trigram similarity on the name key
    (GIN index); elsewhere: a token prefilter in SQL and difflib in Python."""
    key, ckey = name_key(name), name_key(city)
    if not key or not ckey:
        return []
    base = School.objects.select_related("country").filter(
        country=country, city_key=ckey
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            base.filter(Q(name_key__trigram_similar=key) | Q(name_key__contains=key))
            .annotate(similarity=TrigramSimilarity("name_key", key))
            .order_by("-similarity", "name")[:limit]
        )
    tokens = _significant_tokens(key) or key.split()
    prefilter = Q()
    for token in tokens:
        prefilter |= Q(name_key__contains=token)
    scored = []
    for school in base.filter(prefilter)[:200]:
        ratio = difflib.SequenceMatcher(None, key, school.name_key).ratio()
        if ratio >= 0.6 or key in school.name_key or school.name_key in key:
            scored.append((ratio, school))
    scored.sort(key=lambda item: (-item[0], item[1].name))
    return [school for _ratio, school in scored[:limit]]


def search_schools(
    *, country: Country | None, city: str = "", query: str = ""
) -> QuerySet[School]:
    """R3 "my school is already registered": schools by country, city and name words."""
    qs = School.objects.select_related("country").order_by("name", "city")
    if country is not None:
        qs = qs.filter(country=country)
    city_key = name_key(city)
    if city_key:
        qs = qs.filter(city_key__contains=city_key)
    for token in name_key(query).split():
        qs = qs.filter(name_key__contains=token)
    return qs


# --- School links (R3a, R5) ----------------------------------------------------------


def school_head(school: School) -> SchoolMembership | None:
    return (
        SchoolMembership.objects.select_related("teacher")
        .filter(school=school, head_status=HeadStatus.CONFIRMED)
        .first()
    )


def _audit(
    membership: SchoolMembership,
    old: str,
    new: str,
    *,
    actor: User | None,
    note: str = "",
    kind: str = MembershipChange.Kind.STATUS,
) -> None:
    MembershipChange.objects.create(
        membership=membership, kind=kind, old=old, new=new, actor=actor, note=note
    )


def request_school_membership(
    teacher: User,
    school: School,
    *,
    is_main: bool = True,
    claim_head: bool = False,
    actor: User | None = None,
) -> SchoolMembership:
    """R5: link a teacher to a school, waiting for validation.

    Side effects: the link starts AWAITING_HEAD when the school has a confirmed head (who
    is mailed), else PENDING; an audit row; a mail to the teacher after commit. A head of
    school claim (Role.HEAD) is recorded as HeadStatus.CLAIMED for the NSO to confirm.
    """
    with transaction.atomic():
        # Lock the school so that two requests of one teacher cannot both insert.
        School.objects.select_for_update().filter(pk=school.pk).first()
        if (
            SchoolMembership.objects.current()
            .filter(teacher=teacher, school=school)
            .exists()
        ):
            raise MembershipError(
                _("You are already linked to %(school)s.") % {"school": school.name}
            )
        head = school_head(school)
        status = (
            S.AWAITING_HEAD if head and head.teacher_id != teacher.pk else S.PENDING
        )
        membership = SchoolMembership.objects.create(
            teacher=teacher,
            school=school,
            is_main=is_main,
            status=status,
            head_status=HeadStatus.CLAIMED if claim_head else HeadStatus.NONE,
        )
        _audit(membership, "", status, actor=actor or teacher)
        if claim_head:
            _audit(
                membership,
                HeadStatus.NONE,
                HeadStatus.CLAIMED,
                actor=actor or teacher,
                kind=MembershipChange.Kind.HEAD,
            )
        ctx = _membership_mail_context(membership)
        _mail_after_commit(teacher.pk, STATUS_MAIL[status], ctx)
        if status == S.AWAITING_HEAD:
            _mail_after_commit(
                head.teacher_id,
                "accounts/mail/head_confirmation_needed",
                {**ctx, "teacher_name": teacher.display_name},
            )
    return membership


def _transition(
    membership: SchoolMembership,
    new: str,
    *,
    actor: User | None,
    note: str = "",
    mail: bool = True,
    **fields,
) -> SchoolMembership:
    with transaction.atomic():
        locked = (
            SchoolMembership.objects.select_for_update()
            .select_related("school__country", "teacher")
            .get(pk=membership.pk)
        )
        old = locked.status
        if new not in ALLOWED.get(old, ()):
            raise InvalidTransition(old, new)
        locked.status = new
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *fields])
        _audit(locked, old, new, actor=actor, note=note)
        if mail and new in STATUS_MAIL:
            _mail_after_commit(
                locked.teacher_id,
                STATUS_MAIL[new],
                {**_membership_mail_context(locked), "note": note},
            )
    return locked


def confirm_by_head(
    membership: SchoolMembership, *, head: User, works_here: bool, note: str = ""
) -> SchoolMembership:
    """R5: the school's confirmed head says whether the teacher works there.

    Either answer sends the link on to the NSO (PENDING); the evaluator sees the answer in
    `head_confirmed` and decides. Side effects: audit row, mail to the teacher.
    """
    if not SchoolMembership.objects.filter(
        school_id=membership.school_id,
        teacher=head,
        head_status=HeadStatus.CONFIRMED,
    ).exists():
        raise MembershipError(_("Only the confirmed head of this school can answer."))
    if membership.teacher_id == head.pk:
        raise MembershipError(_("You cannot confirm your own link."))
    if not note:
        note = (
            _("The head of school confirmed that this teacher works at the school.")
            if works_here
            else _(
                "The head of school said that this teacher does not work at the school."
            )
        )
    return _transition(
        membership, S.PENDING, actor=head, note=str(note), head_confirmed=works_here
    )


def validate_membership(
    membership: SchoolMembership, *, actor: User, note: str = ""
) -> SchoolMembership:
    """R5: an NSO evaluator validates the teacher's link (the teacher may now found and
    join projects). Side effects: audit row, mail to the teacher."""
    return _transition(
        membership,
        S.VALIDATED,
        actor=actor,
        note=note,
        validated_at=timezone.now(),
        validated_by=actor,
    )


def reject_membership(
    membership: SchoolMembership, *, actor: User, note: str = ""
) -> SchoolMembership:
    """R5: an NSO evaluator refuses the link. A head claim on it lapses with it.
    Side effects: audit row(s), mail to the teacher."""
    with transaction.atomic():
        result = _transition(membership, S.REJECTED, actor=actor, note=note)
        _drop_head_claim(result, actor=actor)
    return result


def _drop_head_claim(membership: SchoolMembership, *, actor: User | None) -> None:
    # The "one head per school" constraint ignores the link's status, so a link that ends
    # must give up its head role, or the school could never get a new head.
    if membership.head_status:
        old = membership.head_status
        membership.head_status = HeadStatus.NONE
        membership.save(update_fields=["head_status"])
        _audit(
            membership,
            old,
            HeadStatus.NONE,
            actor=actor,
            kind=MembershipChange.Kind.HEAD,
        )


def end_membership(
    membership: SchoolMembership, *, actor: User | None, note: str = ""
) -> SchoolMembership:
    """The teacher no longer works at the school; history is kept (status ENDED)."""
    with transaction.atomic():
        result = _transition(
            membership,
            S.ENDED,
            actor=actor,
            note=note,
            mail=False,
            ended_at=timezone.now(),
        )
        _drop_head_claim(result, actor=actor)
    return result


def move_school(
    membership: SchoolMembership, new_school: School, *, actor: User
) -> SchoolMembership:
    """R5: a teacher who moves to another school is validated again.

    The old link ENDS (its history stays), the new link starts waiting for validation and
    keeps the old link's main-school flag. A head of school role does not move with them.
    """
    if new_school.pk == membership.school_id:
        raise MembershipError(_("This is already your school."))
    with transaction.atomic():
        ended = end_membership(
            membership,
            actor=actor,
            note=str(_("Moved to %(school)s") % {"school": new_school.name}),
        )
        return request_school_membership(
            ended.teacher, new_school, is_main=ended.is_main, actor=actor
        )


def add_second_school(
    teacher: User, school: School, *, actor: User | None = None
) -> SchoolMembership:
    """R3a: a teacher also works at another school; that link is confirmed on its own (R5).
    The first current school stays the main one."""
    has_main = (
        SchoolMembership.objects.current()
        .filter(teacher=teacher, is_main=True)
        .exists()
    )
    return request_school_membership(
        teacher, school, is_main=not has_main, actor=actor or teacher
    )


def set_main_school(membership: SchoolMembership, *, teacher: User) -> None:
    """R3a decision: one school is the teacher's main school, shown first."""
    if membership.teacher_id != teacher.pk or membership.status in (
        S.ENDED,
        S.REJECTED,
    ):
        raise MembershipError(_("Choose one of your current schools."))
    with transaction.atomic():
        SchoolMembership.objects.filter(teacher=teacher).exclude(
            pk=membership.pk
        ).update(is_main=False)
        SchoolMembership.objects.filter(pk=membership.pk).update(is_main=True)


# --- Head of school (actors table, R33) -----------------------------------------------


def confirm_head_role(membership: SchoolMembership, *, actor: User) -> SchoolMembership:
    """The NSO confirms a head of school claim: at most one head per school (the database
    constraint membership_one_head_per_school backs the check). Side effects: audit row,
    mail to the teacher."""
    with transaction.atomic():
        locked = (
            SchoolMembership.objects.select_for_update()
            .select_related("school__country")
            .get(pk=membership.pk)
        )
        if locked.head_status != HeadStatus.CLAIMED:
            raise MembershipError(
                _("This teacher has not claimed the head of school role.")
            )
        if locked.status in (S.ENDED, S.REJECTED):
            raise MembershipError(_("This school link has ended."))
        other = school_head(locked.school)
        if other is not None:
            raise MembershipError(
                _("%(school)s already has a confirmed head of school: %(name)s.")
                % {"school": locked.school.name, "name": other.teacher.display_name}
            )
        locked.head_status = HeadStatus.CONFIRMED
        try:
            with transaction.atomic():
                locked.save(update_fields=["head_status"])
        except IntegrityError as exc:
            raise MembershipError(
                _("%(school)s already has a confirmed head of school.")
                % {"school": locked.school.name}
            ) from exc
        _audit(
            locked,
            HeadStatus.CLAIMED,
            HeadStatus.CONFIRMED,
            actor=actor,
            kind=MembershipChange.Kind.HEAD,
        )
        _mail_after_commit(
            locked.teacher_id,
            "accounts/mail/head_confirmed",
            _membership_mail_context(locked),
        )
    return locked


def decline_head_role(membership: SchoolMembership, *, actor: User) -> SchoolMembership:
    """The NSO declines a head of school claim (the teacher's link is not affected)."""
    with transaction.atomic():
        locked = SchoolMembership.objects.select_for_update().get(pk=membership.pk)
        if locked.head_status != HeadStatus.CLAIMED:
            raise MembershipError(
                _("This teacher has not claimed the head of school role.")
            )
        _drop_head_claim(locked, actor=actor)
    return locked


# --- Personal data ---------------------------------------------------------------------


def delete_account(user: User) -> None:
    """Erase a person's personal data; what they contributed stays under an anonymous name.

    Side effects: every eraser registered in accounts.personal_data runs; the person's
    current school links end (they leave the school pages); name, e-mail, profile texts and
    allauth e-mail addresses are removed; the password becomes unusable; the username
    becomes "deleted-<id>"; the account is inactive and marked anonymised.
    """
    from allauth.account.models import EmailAddress

    from accounts import personal_data

    with transaction.atomic():
        personal_data.run_erasers(user)
        for membership in SchoolMembership.objects.current().filter(teacher=user):
            end_membership(membership, actor=user, note=str(_("Account deleted")))
        TeacherProfile.objects.filter(user=user).update(
            profession="",
            project_ideas="",
            subjects=[],
            age_groups=[],
            interests=[],
            languages=[],
        )
        EmailAddress.objects.filter(user=user).delete()
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.username = f"deleted-{user.pk}"
        user.is_active = False
        user.is_staff = False
        user.is_anonymised = True
        user.set_unusable_password()
        user.save()
        user.evaluator_countries.clear()
        user.groups.clear()


def schools_of(teacher: User) -> Iterable[SchoolMembership]:
    return (
        SchoolMembership.objects.filter(teacher=teacher)
        .select_related("school__country")
        .order_by("-is_main", "joined_at")
    )
