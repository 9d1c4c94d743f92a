"""The TwinSpace follows its project (R10, R11): projects announces, twinspace acts."""

from __future__ import annotations

from django.dispatch import receiver

from projects import signals
from projects.models import Project, ProjectMember
from twinspace import services
from twinspace.models import TwinSpace


@receiver(signals.project_opened, dispatch_uid="twinspace_project_opened")
def _project_opened(sender, project: Project, **kwargs) -> None:
    """R10: the founded (and approved) project gets its TwinSpace; founders administer it."""
    services.ensure_twinspace(project)


@receiver(signals.project_member_added, dispatch_uid="twinspace_member_added")
def _member_added(sender, project: Project, member: ProjectMember, **kwargs) -> None:
    """A teacher who joins a running project joins its TwinSpace. Founders are announced
    before the NSO approves the project: their TwinSpace opens with project_opened."""
    if TwinSpace.objects.filter(project=project).exists():
        services.add_project_teacher(project, member)


@receiver(signals.project_closed, dispatch_uid="twinspace_project_closed")
def _project_closed(sender, project: Project, **kwargs) -> None:
    """R11: the TwinSpace of a closed project stays readable, and only readable."""
    services.make_read_only(project)
