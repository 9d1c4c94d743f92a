"""TwinSpace: the shared workspace of a project (SPEC R10-R15)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Country, User
from projects.models import Project
from twinspace.enums import (
    CONTRIBUTOR_ROLES,
    PUPIL_ROLES,
    TEACHER_ROLES,
    ActivityVerb,
    MaterialKind,
    MemberRole,
)


class PrivateStorage(FileSystemStorage):
    """Materials live outside MEDIA_ROOT so no web server or DEBUG helper serves them
    directly: only `twinspace.views.material_file` does, after checking membership (R14).

    The folder is TWINSPACE_FILES_ROOT, or a sibling of MEDIA_ROOT named `<media>-private`.
    """

    @cached_property
    def base_location(self) -> str:
        configured = getattr(settings, "TWINSPACE_FILES_ROOT", None)
        if configured:
            return str(configured)
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(media.name + "-private"))

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        return None


private_storage = PrivateStorage()


def _material_path(instance: Material, filename: str) -> str:
    # Random names: the user's file name is kept only as a label (original_name).
    suffix = Path(filename).suffix.lower()[:6]
    return f"twinspace/{instance.twinspace_id}/{uuid.uuid4().hex}{suffix}"


class TwinSpace(models.Model):
    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        related_name="twinspace",
        verbose_name=_("project"),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # R13: the cover (name, description, members' names) is public unless hidden.
    cover_hidden = models.BooleanField(
        _("hide the cover from non-members"), default=False
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    # R11: set when the project closes; the TwinSpace stays readable, nothing changes.
    read_only_since = models.DateTimeField(_("read only since"), null=True, blank=True)

    class Meta:
        verbose_name = _("TwinSpace")
        verbose_name_plural = _("TwinSpaces")

    def __str__(self) -> str:
        return self.project.title

    def get_absolute_url(self) -> str:
        return reverse("twinspace:home", args=[self.pk])

    @property
    def name(self) -> str:
        return self.project.title

    @property
    def is_read_only(self) -> bool:
        return self.read_only_since is not None


class TwinSpaceMember(models.Model):
    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="twinspace_memberships",
        verbose_name=_("member"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.TEACHER
    )
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("TwinSpace member")
        verbose_name_plural = _("TwinSpace members")
        constraints = [
            models.UniqueConstraint(
                fields=["twinspace", "user"], name="twinspace_member_once"
            )
        ]
        indexes = [models.Index(fields=["user", "twinspace"], name="tsmember_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_teacher(self) -> bool:
        return self.role in TEACHER_ROLES

    @property
    def is_pupil(self) -> bool:
        return self.role in PUPIL_ROLES

    @property
    def is_contributor(self) -> bool:
        return self.role in CONTRIBUTOR_ROLES


class RoleChange(models.Model):
    """Audit row: every role a member gets, loses or changes (who, when, from, to)."""

    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="role_changes"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    old = models.CharField(max_length=20, blank=True)
    new = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self) -> str:
        return f"{self.user}: {self.old or '-'} → {self.new or '-'}"


class Page(models.Model):
    """A page of the TwinSpace tree (R12); its content is kept as typed and as clean HTML."""

    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="pages"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent page"),
    )
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("content"), max_length=50000, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    video_url = models.URLField(_("video link (YouTube or Vimeo)"), blank=True)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        indexes = [models.Index(fields=["twinspace", "parent"], name="page_tree")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("twinspace:page", args=[self.twinspace_id, self.pk])


class PageRevision(models.Model):
    """Page history (R12): every save keeps who wrote what, and when."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    source = models.TextField(blank=True)
    video_url = models.URLField(blank=True)
    author = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("page revision")
        verbose_name_plural = _("page revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "number"], name="page_revision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page} #{self.number}"


class Material(models.Model):
    """An uploaded image or document (R14), stored re-encoded and served through a view."""

    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(storage=private_storage, upload_to=_material_path)
    thumbnail = models.FileField(
        storage=private_storage, upload_to=_material_path, blank=True
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        indexes = [
            models.Index(fields=["twinspace", "-created_at"], name="material_recent")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.kind == MaterialKind.IMAGE

    @property
    def download_name(self) -> str:
        return self.original_name


class ForumThread(models.Model):
    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        verbose_name = _("forum thread")
        verbose_name_plural = _("forum threads")
        indexes = [
            models.Index(fields=["twinspace", "-last_post_at"], name="thread_recent")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("twinspace:thread", args=[self.twinspace_id, self.pk])


class ForumPost(models.Model):
    thread = models.ForeignKey(
        ForumThread, on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Activity(models.Model):
    """One line of the activity stream on the TwinSpace home: who did what, when."""

    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="activities"
    )
    actor = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=ActivityVerb.choices)
    target_title = models.CharField(max_length=200, blank=True)
    target_url = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["twinspace", "-at"], name="activity_recent")]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()} {self.target_title}"


class EvaluationAccess(models.Model):
    """R15: while a Quality Label application is evaluated, the NSO evaluators of the
    applicant's country read the TwinSpace. Granted and ended by the labels app.

    One row per grant: two teachers of the same country may have applications under
    evaluation at once (R20), and the access lasts until the last of them is decided."""

    twinspace = models.ForeignKey(
        TwinSpace, on_delete=models.CASCADE, related_name="evaluation_accesses"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    granted_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation access")
        verbose_name_plural = _("evaluation accesses")
        indexes = [
            models.Index(
                fields=["twinspace", "country"],
                condition=Q(ended_at__isnull=True),
                name="evaluation_access_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.twinspace} / {self.country}"
