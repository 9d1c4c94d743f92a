"""Every state change of a TwinSpace (SPEC R10-R15), one function per rule.

Views, signal receivers, the demo and the labels app call these and nothing else. Each
function is atomic; role changes write a RoleChange audit row; what members do goes into
the activity stream. Permissions are checked by the caller through twinspace.rules.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import UserKind
from accounts.models import Country, User
from projects.enums import MemberRole as ProjectRole
from projects.models import Project, ProjectMember
from twinspace import files
from twinspace.content import clean_page_source
from twinspace.enums import (
    PROMOTIONS,
    PUPIL_ROLES,
    ActivityVerb,
    MaterialKind,
    MemberRole,
)
from twinspace.models import (
    Activity,
    EvaluationAccess,
    ForumPost,
    ForumThread,
    Material,
    Page,
    PageRevision,
    RoleChange,
    TwinSpace,
    TwinSpaceMember,
)

MAX_PUPILS_PER_BATCH = 60


class TwinSpaceError(ValidationError):
    """A refused change, with a message for the page."""


def _record(
    twinspace: TwinSpace,
    actor: User | None,
    verb: str,
    title: str = "",
    url: str = "",
) -> None:
    Activity.objects.create(
        twinspace=twinspace,
        actor=actor,
        verb=verb,
        target_title=title[:200],
        target_url=url[:300],
    )


def _set_role(
    twinspace: TwinSpace, user: User, role: str, *, actor: User | None
) -> TwinSpaceMember:
    """Create or change a membership and write the audit row (no-op if unchanged)."""
    member = (
        TwinSpaceMember.objects.select_for_update()
        .filter(twinspace=twinspace, user=user)
        .first()
    )
    old = member.role if member else ""
    if member is None:
        member = TwinSpaceMember.objects.create(
            twinspace=twinspace, user=user, role=role, added_by=actor
        )
    elif member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    if old != role:
        RoleChange.objects.create(
            twinspace=twinspace, user=user, old=old, new=role, actor=actor
        )
    return member


# --- R10, R11: the TwinSpace follows its project ----------------------------------------


def ensure_twinspace(project: Project) -> TwinSpace:
    """R10: the project's TwinSpace, opened if needed; founders become teacher
    administrators and the other teachers of the project teachers. Safe to call twice."""
    with transaction.atomic():
        twinspace, created = TwinSpace.objects.get_or_create(
            project=project,
            defaults={"description": project.description[:2000]},
        )
        twinspace = TwinSpace.objects.select_for_update().get(pk=twinspace.pk)
        members = ProjectMember.objects.filter(project=project).select_related(
            "teacher"
        )
        existing = set(
            TwinSpaceMember.objects.filter(twinspace=twinspace).values_list(
                "user_id", flat=True
            )
        )
        for member in members:
            if member.teacher_id in existing:
                continue
            role = (
                MemberRole.TEACHER_ADMIN
                if member.role == ProjectRole.FOUNDER
                else MemberRole.TEACHER
            )
            _set_role(twinspace, member.teacher, role, actor=None)
            if not created:
                _record(twinspace, member.teacher, ActivityVerb.JOINED)
        if created:
            _record(twinspace, None, ActivityVerb.OPENED, project.title)
        if project.is_closed and twinspace.read_only_since is None:
            twinspace.read_only_since = project.closed_at or timezone.now()
            twinspace.save(update_fields=["read_only_since"])
    return twinspace


def add_project_teacher(project: Project, member: ProjectMember) -> TwinSpaceMember:
    """A teacher who joins the project becomes a teacher of its TwinSpace (R10)."""
    twinspace = ensure_twinspace(project)
    with transaction.atomic():
        role = (
            MemberRole.TEACHER_ADMIN
            if member.role == ProjectRole.FOUNDER
            else MemberRole.TEACHER
        )
        existing = TwinSpaceMember.objects.filter(
            twinspace=twinspace, user=member.teacher
        ).first()
        if existing is not None and existing.role != MemberRole.VISITOR:
            return existing
        result = _set_role(twinspace, member.teacher, role, actor=None)
        _record(twinspace, member.teacher, ActivityVerb.JOINED)
    return result


def make_read_only(project: Project) -> TwinSpace | None:
    """R11: a closed project's TwinSpace stays readable and changes no more."""
    with transaction.atomic():
        twinspace = (
            TwinSpace.objects.select_for_update().filter(project=project).first()
        )
        if twinspace is None or twinspace.read_only_since is not None:
            return twinspace
        twinspace.read_only_since = timezone.now()
        twinspace.save(update_fields=["read_only_since"])
        _record(twinspace, None, ActivityVerb.CLOSED)
    return twinspace


def update_cover(
    twinspace: TwinSpace, *, description: str, cover_hidden: bool, actor: User
) -> TwinSpace:
    """R13: administrators write the cover and choose whether non-members see it."""
    twinspace.description = description
    twinspace.cover_hidden = cover_hidden
    twinspace.save(update_fields=["description", "cover_hidden"])
    return twinspace


# --- R13: members and roles ---------------------------------------------------------------


def add_teacher_of_project(
    twinspace: TwinSpace, user: User, *, actor: User
) -> TwinSpaceMember:
    """An administrator invites a teacher of the project into the TwinSpace."""
    if not ProjectMember.objects.filter(
        project_id=twinspace.project_id, teacher=user
    ).exists():
        raise TwinSpaceError(_("Only teachers of this project can join as teachers."))
    with transaction.atomic():
        member = _set_role(twinspace, user, MemberRole.TEACHER, actor=actor)
        _record(twinspace, user, ActivityVerb.JOINED)
    return member


def add_visitor(twinspace: TwinSpace, login: str, *, actor: User) -> TwinSpaceMember:
    """An administrator invites an existing portal user (not a pupil) to read along."""
    login = login.strip()
    user = (
        User.objects.filter(kind=UserKind.MEMBER, is_active=True)
        .filter(username__iexact=login)
        .first()
    ) or (
        User.objects.filter(kind=UserKind.MEMBER, is_active=True)
        .filter(email__iexact=login)
        .first()
        if "@" in login
        else None
    )
    if user is None:
        raise TwinSpaceError(
            _("No portal member has the username or e-mail “%(login)s”."),
            params={"login": login},
        )
    if TwinSpaceMember.objects.filter(twinspace=twinspace, user=user).exists():
        raise TwinSpaceError(
            _("%(name)s is already a member of this TwinSpace."),
            params={"name": user.display_name},
        )
    with transaction.atomic():
        member = _set_role(twinspace, user, MemberRole.VISITOR, actor=actor)
        _record(twinspace, user, ActivityVerb.JOINED)
    return member


def change_member_role(member: TwinSpaceMember, *, actor: User) -> TwinSpaceMember:
    """Promote a teacher to administrator (or a pupil to pupil administrator), or back.

    The last teacher administrator cannot step down: someone must manage the TwinSpace."""
    new = PROMOTIONS.get(member.role)
    if new is None:
        raise TwinSpaceError(_("Visitors have no other role."))
    with transaction.atomic():
        TwinSpace.objects.select_for_update().get(pk=member.twinspace_id)
        if (
            member.role == MemberRole.TEACHER_ADMIN
            and TwinSpaceMember.objects.filter(
                twinspace_id=member.twinspace_id, role=MemberRole.TEACHER_ADMIN
            ).count()
            <= 1
        ):
            raise TwinSpaceError(
                _("A TwinSpace needs at least one teacher administrator.")
            )
        result = _set_role(member.twinspace, member.user, new, actor=actor)
        _record(
            member.twinspace, actor, ActivityVerb.ROLE_CHANGED, member.user.display_name
        )
    return result


def remove_member(member: TwinSpaceMember, *, actor: User) -> None:
    """Visitors and pupils leave at an administrator's wish; teachers of the project stay
    as long as they are in the project. A removed pupil's account is deactivated when it
    belongs to no other TwinSpace (minors' data: nothing is kept without a purpose)."""
    if member.role in (MemberRole.TEACHER_ADMIN, MemberRole.TEACHER):
        raise TwinSpaceError(
            _("Teachers of the project stay members while they are in the project.")
        )
    with transaction.atomic():
        RoleChange.objects.create(
            twinspace=member.twinspace,
            user=member.user,
            old=member.role,
            new="",
            actor=actor,
        )
        user = member.user
        member.delete()
        if (
            user.is_pupil
            and not TwinSpaceMember.objects.filter(user=user).exists()
            and user.is_active
        ):
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
        _record(member.twinspace, actor, ActivityVerb.MEMBER_REMOVED, user.display_name)


# --- R13: pupil accounts ------------------------------------------------------------------

_ADJECTIVES = [
    "amber",
    "blue",
    "brave",
    "bright",
    "calm",
    "clever",
    "cosy",
    "curious",
    "eager",
    "fancy",
    "gentle",
    "golden",
    "happy",
    "jolly",
    "kind",
    "lively",
    "lucky",
    "merry",
    "mighty",
    "noble",
    "polite",
    "proud",
    "quick",
    "quiet",
    "rapid",
    "shiny",
    "silver",
    "smart",
    "sunny",
    "swift",
    "tidy",
    "witty",
]
_ANIMALS = [
    "badger",
    "bear",
    "beaver",
    "bison",
    "camel",
    "cheetah",
    "dolphin",
    "eagle",
    "falcon",
    "ferret",
    "fox",
    "gecko",
    "giraffe",
    "hedgehog",
    "heron",
    "koala",
    "lemur",
    "lion",
    "lynx",
    "meerkat",
    "otter",
    "owl",
    "panda",
    "parrot",
    "penguin",
    "puffin",
    "rabbit",
    "robin",
    "seal",
    "tiger",
    "turtle",
    "whale",
    "zebra",
]


@dataclass
class PupilCredentials:
    name: str
    username: str
    password: str


def generate_pupil_password() -> str:
    """Easy to read aloud and type for a child: adjective-animal-number."""
    return (
        f"{secrets.choice(_ADJECTIVES)}-{secrets.choice(_ANIMALS)}-"
        f"{secrets.randbelow(900) + 100}"
    )


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ł", "l"))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())


def split_pupil_name(line: str) -> tuple[str, str]:
    """R13, minors' data: keep the first name and the initial of the last name only."""
    parts = line.split()
    first = parts[0][:30]
    initial = parts[-1][0].upper() + "." if len(parts) > 1 else ""
    return first, initial


def parse_pupil_names(text: str) -> list[str]:
    names = [" ".join(line.split()) for line in text.splitlines()]
    names = [name for name in names if name]
    if not names:
        raise TwinSpaceError(_("Write at least one name, one per line."))
    if len(names) > MAX_PUPILS_PER_BATCH:
        raise TwinSpaceError(
            _("At most %(max)s pupils at a time, please (you wrote %(count)s)."),
            params={"max": MAX_PUPILS_PER_BATCH, "count": len(names)},
        )
    bad = [
        name for name in names if len(name) > 60 or not any(c.isalpha() for c in name)
    ]
    if bad:
        raise TwinSpaceError(
            _("These lines are not names: %(lines)s"), params={"lines": ", ".join(bad)}
        )
    return names


def _unique_username(first: str, initial: str) -> str:
    base = (_ascii(first) or "pupil")[:20]
    if initial:
        base += "." + (_ascii(initial) or "x")
    for _attempt in range(50):
        candidate = f"{base}.{secrets.randbelow(9000) + 1000}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"{base}.{secrets.token_hex(4)}"


def create_pupils(
    twinspace: TwinSpace, names_text: str, *, actor: User
) -> list[PupilCredentials]:
    """R13: a teacher administrator creates pupils from a list of names (one per line).

    Pupils get a generated username and password, no e-mail, and membership of this
    TwinSpace only. The passwords are returned once, to print; only their hashes are kept."""
    names = parse_pupil_names(names_text)
    created: list[PupilCredentials] = []
    with transaction.atomic():
        for name in names:
            first, initial = split_pupil_name(name)
            password = generate_pupil_password()
            for _attempt in range(3):
                username = _unique_username(first, initial)
                try:
                    with transaction.atomic():
                        user = User(
                            username=username,
                            first_name=first,
                            last_name=initial,
                            email="",
                            kind=UserKind.PUPIL,
                            language=actor.language,
                        )
                        user.set_password(password)
                        user.save()
                    break
                except IntegrityError:
                    continue  # the same username taken at the same moment: draw again
            else:
                raise TwinSpaceError(_("Could not create the accounts; try again."))
            _set_role(twinspace, user, MemberRole.PUPIL, actor=actor)
            created.append(
                PupilCredentials(
                    name=f"{first} {initial}".strip(),
                    username=username,
                    password=password,
                )
            )
        _record(twinspace, actor, ActivityVerb.PUPILS_CREATED, str(len(created)))
    return created


def reset_pupil_password(member: TwinSpaceMember, *, actor: User) -> PupilCredentials:
    """R13: a teacher of the TwinSpace gives a pupil a new password (shown once)."""
    if member.role not in PUPIL_ROLES or not member.user.is_pupil:
        raise TwinSpaceError(_("Only pupils' passwords are reset here."))
    password = generate_pupil_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=member.user_id)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return PupilCredentials(
        name=user.display_name, username=user.username, password=password
    )


# --- R12: pages ---------------------------------------------------------------------------


def _check_video(video_url: str) -> str:
    from twinspace.content import parse_video_url

    video_url = (video_url or "").strip()
    if video_url and parse_video_url(video_url) is None:
        raise TwinSpaceError(
            _(
                "This video link is not a YouTube or Vimeo video. Copy the address of the video page and paste it here."
            ),
            code="video",
        )
    return video_url


def _new_revision(
    page: Page, *, author: User | None, restored_from: int | None = None
) -> PageRevision:
    last = PageRevision.objects.filter(page=page).order_by("-number").first()
    return PageRevision.objects.create(
        page=page,
        number=(last.number + 1) if last else 1,
        title=page.title,
        source=page.source,
        video_url=page.video_url,
        author=author,
        restored_from=restored_from,
    )


def create_page(
    twinspace: TwinSpace,
    *,
    title: str,
    source: str,
    video_url: str = "",
    parent: Page | None = None,
    actor: User,
) -> Page:
    """R12: a member adds a page; its content is cleaned before it is stored."""
    video_url = _check_video(video_url)
    if parent is not None and parent.twinspace_id != twinspace.pk:
        raise TwinSpaceError(_("The parent page belongs to another TwinSpace."))
    with transaction.atomic():
        siblings = Page.objects.filter(twinspace=twinspace, parent=parent).count()
        page = Page.objects.create(
            twinspace=twinspace,
            parent=parent,
            title=title,
            source=source,
            body_html=clean_page_source(source),
            video_url=video_url,
            position=siblings,
            created_by=actor,
            updated_by=actor,
        )
        _new_revision(page, author=actor)
        _record(
            twinspace,
            actor,
            ActivityVerb.PAGE_CREATED,
            page.title,
            page.get_absolute_url(),
        )
    return page


def _descendant_ids(page: Page) -> set[int]:
    rows = list(
        Page.objects.filter(twinspace_id=page.twinspace_id).values_list(
            "id", "parent_id"
        )
    )
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [page.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def edit_page(
    page: Page,
    *,
    title: str,
    source: str,
    video_url: str = "",
    parent: Page | None = None,
    actor: User,
) -> Page:
    """R12: a member changes a page; the earlier version stays in its history."""
    video_url = _check_video(video_url)
    if parent is not None and (
        parent.twinspace_id != page.twinspace_id
        or parent.pk == page.pk
        or parent.pk in _descendant_ids(page)
    ):
        raise TwinSpaceError(_("A page cannot be placed under itself."))
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        page.title = title
        page.source = source
        page.body_html = clean_page_source(source)
        page.video_url = video_url
        page.parent = parent
        page.updated_by = actor
        page.updated_at = timezone.now()
        page.save()
        _new_revision(page, author=actor)
        _record(
            page.twinspace,
            actor,
            ActivityVerb.PAGE_EDITED,
            page.title,
            page.get_absolute_url(),
        )
    return page


def restore_page_revision(revision: PageRevision, *, actor: User) -> Page:
    """R12: bring back an earlier version; it becomes a new revision (history is kept)."""
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=revision.page_id)
        page.title = revision.title
        page.source = revision.source
        page.body_html = clean_page_source(revision.source)
        page.video_url = revision.video_url
        page.updated_by = actor
        page.updated_at = timezone.now()
        page.save()
        _new_revision(page, author=actor, restored_from=revision.number)
        _record(
            page.twinspace,
            actor,
            ActivityVerb.PAGE_RESTORED,
            page.title,
            page.get_absolute_url(),
        )
    return page


# --- R14: materials -----------------------------------------------------------------------


def add_material(
    twinspace: TwinSpace, upload: UploadedFile, *, title: str, actor: User
) -> Material:
    """R14: an image (checked, re-encoded without EXIF, with a thumbnail) or a document
    from the allow-list. Raises ValidationError with a message for the form."""
    if files.is_image_name(upload.name or ""):
        prepared = files.prepare_image(upload)
        kind = MaterialKind.IMAGE
    else:
        prepared = files.prepare_document(upload)
        kind = MaterialKind.DOCUMENT
    title = title.strip() or (upload.name or "")[:200]
    with transaction.atomic():
        material = Material(
            twinspace=twinspace,
            kind=kind,
            title=title,
            original_name=prepared.content.name,
            content_type=prepared.content_type,
            size=prepared.content.size,
            uploaded_by=actor,
        )
        material.file.save(prepared.content.name, prepared.content, save=False)
        if prepared.thumbnail is not None:
            material.thumbnail.save(
                prepared.thumbnail.name, prepared.thumbnail, save=False
            )
        material.save()
        _record(
            twinspace,
            actor,
            ActivityVerb.MATERIAL_ADDED,
            material.title,
            f"{twinspace.get_absolute_url()}materials/#material-{material.pk}",
        )
    return material


# --- R14: forum ---------------------------------------------------------------------------


def start_thread(
    twinspace: TwinSpace, *, title: str, body: str, actor: User
) -> ForumThread:
    with transaction.atomic():
        thread = ForumThread.objects.create(
            twinspace=twinspace, title=title, created_by=actor, post_count=1
        )
        ForumPost.objects.create(thread=thread, author=actor, body=body)
        _record(
            twinspace,
            actor,
            ActivityVerb.THREAD_STARTED,
            thread.title,
            thread.get_absolute_url(),
        )
    return thread


def reply(thread: ForumThread, *, body: str, actor: User) -> ForumPost:
    with transaction.atomic():
        post = ForumPost.objects.create(thread=thread, author=actor, body=body)
        ForumThread.objects.filter(pk=thread.pk).update(
            last_post_at=post.created_at, post_count=F("post_count") + 1
        )
        _record(
            thread.twinspace,
            actor,
            ActivityVerb.REPLIED,
            thread.title,
            f"{thread.get_absolute_url()}#post-{post.pk}",
        )
    return post


def set_post_hidden(post: ForumPost, *, hidden: bool, actor: User) -> ForumPost:
    """R14: a teacher hides a post (or shows it again); who and when are kept."""
    with transaction.atomic():
        post = ForumPost.objects.select_for_update().get(pk=post.pk)
        post.hidden_at = timezone.now() if hidden else None
        post.hidden_by = actor if hidden else None
        post.save(update_fields=["hidden_at", "hidden_by"])
        if hidden:
            _record(
                post.thread.twinspace,
                actor,
                ActivityVerb.POST_HIDDEN,
                post.thread.title,
                post.thread.get_absolute_url(),
            )
    return post


# --- R15: NSO read access -----------------------------------------------------------------


def _country(country: Country | str) -> Country:
    return (
        country
        if isinstance(country, Country)
        else Country.objects.get(code=country.upper())
    )


def grant_evaluation_access(
    project: Project, *, country: Country | str, reason: str
) -> EvaluationAccess:
    """R15: while an application is evaluated, the evaluators of `country` read the
    project's TwinSpace (read only). Called by the labels app on submission; each grant
    needs its own `end_evaluation_access` (two applications of one country may overlap)."""
    twinspace = ensure_twinspace(project)
    return EvaluationAccess.objects.create(
        twinspace=twinspace, country=_country(country), reason=reason[:200]
    )


def end_evaluation_access(project: Project, *, country: Country | str) -> bool:
    """R15: the access ends with the evaluation (the oldest open grant of the country).
    Returns False when there was nothing to end."""
    with transaction.atomic():
        grant = (
            EvaluationAccess.objects.select_for_update()
            .filter(
                twinspace__project=project,
                country=_country(country),
                ended_at__isnull=True,
            )
            .order_by("granted_at", "pk")
            .first()
        )
        if grant is None:
            return False
        grant.ended_at = timezone.now()
        grant.save(update_fields=["ended_at"])
    return True


def twinspaces_of(user: User) -> Iterable[TwinSpaceMember]:
    """The user's memberships with what a list of TwinSpaces shows (1 query)."""
    return (
        TwinSpaceMember.objects.filter(user=user)
        .select_related("twinspace__project")
        .order_by("-twinspace__created_at")
    )
