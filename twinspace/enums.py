"""Choice lists of the twinspace app (SPEC R12-R15)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    """R13: who a member is in one TwinSpace."""

    TEACHER_ADMIN = "teacher_admin", _("Teacher administrator")
    TEACHER = "teacher", _("Teacher")
    PUPIL_ADMIN = "pupil_admin", _("Pupil administrator")
    PUPIL = "pupil", _("Pupil")
    VISITOR = "visitor", _("Visitor (read only)")


TEACHER_ROLES = (MemberRole.TEACHER_ADMIN, MemberRole.TEACHER)
PUPIL_ROLES = (MemberRole.PUPIL_ADMIN, MemberRole.PUPIL)
# Everyone but visitors adds pages, materials and forum posts.
CONTRIBUTOR_ROLES = (*TEACHER_ROLES, *PUPIL_ROLES)
# The role an administrator may give: teachers become teacher roles, pupils pupil roles.
PROMOTIONS = {
    MemberRole.TEACHER: MemberRole.TEACHER_ADMIN,
    MemberRole.TEACHER_ADMIN: MemberRole.TEACHER,
    MemberRole.PUPIL: MemberRole.PUPIL_ADMIN,
    MemberRole.PUPIL_ADMIN: MemberRole.PUPIL,
}


class MaterialKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")


class ActivityVerb(models.TextChoices):
    """What the activity stream on the TwinSpace home says someone did."""

    OPENED = "opened", _("opened the TwinSpace")
    JOINED = "joined", _("joined the TwinSpace")
    ROLE_CHANGED = "role_changed", _("changed a member's role")
    MEMBER_REMOVED = "member_removed", _("removed a member")
    PUPILS_CREATED = "pupils_created", _("created pupil accounts")
    PAGE_CREATED = "page_created", _("created the page")
    PAGE_EDITED = "page_edited", _("edited the page")
    PAGE_RESTORED = "page_restored", _("restored an earlier version of the page")
    MATERIAL_ADDED = "material_added", _("added the material")
    THREAD_STARTED = "thread_started", _("started the discussion")
    REPLIED = "replied", _("replied in")
    POST_HIDDEN = "post_hidden", _("hid a post in")
    CLOSED = "closed", _("closed the project; the TwinSpace is now read only")
