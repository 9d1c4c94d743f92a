"""Keep the partner search table in step with accounts (projects imports accounts, never back)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import SchoolMembership, TeacherProfile, User
from projects.search import sync_teacher_on_commit


@receiver(post_save, sender=TeacherProfile, dispatch_uid="psearch_profile")
def _profile_saved(
    sender, instance: TeacherProfile, raw: bool = False, **kwargs
) -> None:
    if not raw:
        sync_teacher_on_commit(instance.user_id)


@receiver(post_save, sender=SchoolMembership, dispatch_uid="psearch_membership")
@receiver(post_delete, sender=SchoolMembership, dispatch_uid="psearch_membership_del")
def _membership_changed(
    sender, instance: SchoolMembership, raw: bool = False, **kwargs
) -> None:
    if not raw:
        sync_teacher_on_commit(instance.teacher_id)


@receiver(post_save, sender=User, dispatch_uid="psearch_user")
def _user_saved(
    sender,
    instance: User,
    created: bool,
    raw: bool = False,
    update_fields=None,
    **kwargs,
) -> None:
    # New users have no school yet; a login only touches last_login.
    if raw or created or (update_fields and set(update_fields) <= {"last_login"}):
        return
    sync_teacher_on_commit(instance.pk)
