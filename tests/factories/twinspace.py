"""Factories for TwinSpaces: a running project with its workspace and people in every role."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from projects.models import Project
from tests.factories.accounts import (
    SchoolFactory,
    country,
    make_evaluator,
    make_teacher,
)
from tests.factories.projects import make_founded_project
from twinspace import services
from twinspace.enums import MemberRole
from twinspace.models import TwinSpace, TwinSpaceMember


@dataclass
class TwinSpaceWorld:
    project: Project
    twinspace: TwinSpace
    admin: User  # founder: teacher administrator
    cofounder: User
    teacher: User  # partner teacher: teacher member
    pupil: User
    pupil_password: str
    visitor: User


def _ensure_reference_data() -> None:
    """Transactional tests flush the tables, and a live-server test gets no serialized
    rollback: put back what the data migration loads (countries, the site) when gone."""
    from django.contrib.sites.models import Site

    from accounts.countries import COUNTRIES
    from accounts.models import Country

    Site.objects.get_or_create(
        pk=1, defaults={"domain": "etwinning.local", "name": "eTwinning"}
    )
    Site.objects.clear_cache()

    if not Country.objects.exists():
        Country.objects.bulk_create(
            Country(code=code, name_en=str(name), is_plus=is_plus)
            for code, name, is_plus, _weight in COUNTRIES
        )


def make_twinspace(*, country_a: str = "RO", country_b: str = "IT") -> TwinSpaceWorld:
    """A European project (founders in `country_a` and `country_b`) with a TwinSpace holding a
    teacher administrator, a co-founder, a partner teacher, a pupil and a visitor."""
    _ensure_reference_data()
    admin = make_teacher(SchoolFactory(country=country(country_a)))
    cofounder = make_teacher(SchoolFactory(country=country(country_b)))
    project = make_founded_project(admin, cofounder)
    twinspace = services.ensure_twinspace(project)
    teacher = make_teacher(SchoolFactory(country=country(country_a)))
    from projects.models import ProjectMember

    member = ProjectMember.objects.create(
        project=project,
        teacher=teacher,
        school=teacher.memberships.get().school,
    )
    services.add_project_teacher(project, member)
    credentials = services.create_pupils(twinspace, "Maria Popescu", actor=admin)[0]
    pupil = User.objects.get(username=credentials.username)
    visitor = make_teacher()
    services.add_visitor(twinspace, visitor.username, actor=admin)
    return TwinSpaceWorld(
        project=project,
        twinspace=twinspace,
        admin=admin,
        cofounder=cofounder,
        teacher=teacher,
        pupil=pupil,
        pupil_password=credentials.password,
        visitor=visitor,
    )


def role_of(user: User, twinspace: TwinSpace) -> str | None:
    return (
        TwinSpaceMember.objects.filter(user=user, twinspace=twinspace)
        .values_list("role", flat=True)
        .first()
    )


def jpeg_bytes(*, size=(64, 48), color=(200, 40, 40), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(
        out, format="JPEG", **({"exif": exif} if exif else {})
    )
    return out.getvalue()


def png_bytes(*, size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 255)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


__all__ = ["MemberRole", "make_evaluator"]
