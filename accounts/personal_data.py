"""Personal data: what a person downloads about themselves, and what deleting them erases.

Each app registers its part in its AppConfig.ready(), so `accounts` never imports the
apps above it (STYLE: imports go one way):

    personal_data.register_exporter("projects", export_projects)   # fn(user) -> JSON-able
    personal_data.register_eraser(erase_projects)                  # fn(user) -> None

Erasers run inside the account deletion's transaction, before the user row is anonymised;
they erase personal data and keep contributions (which then show the anonymous name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accounts.models import User

Exporter = Callable[[User], Any]
Eraser = Callable[[User], None]

_exporters: dict[str, Exporter] = {}
_erasers: list[Eraser] = []


def register_exporter(name: str, fn: Exporter) -> None:
    """Add a section `name` to the download (registering the same name again replaces it)."""
    _exporters[name] = fn


def register_eraser(fn: Eraser) -> None:
    """Run `fn(user)` when the person deletes their account (once per function)."""
    if fn not in _erasers:
        _erasers.append(fn)


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about `user`, as JSON-able data."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
    }
    for name, fn in _exporters.items():
        data[name] = fn(user)
    return data


def run_erasers(user: User) -> None:
    for fn in _erasers:
        fn(user)


# --- The accounts app's own part ---------------------------------------------------------


def export_accounts(user: User) -> dict[str, Any]:
    from accounts.models import MembershipChange, School, SchoolMembership

    profile = getattr(user, "profile", None)
    memberships = SchoolMembership.objects.filter(teacher=user).select_related(
        "school__country"
    )
    changes = MembershipChange.objects.filter(membership__teacher=user).select_related(
        "membership__school"
    )
    return {
        "profile": None
        if profile is None
        else {
            "role": profile.role,
            "profession": profile.profession,
            "subjects": profile.subjects,
            "age_groups": profile.age_groups,
            "experience": profile.experience,
            "interests": profile.interests,
            "languages": profile.languages,
            "project_ideas": profile.project_ideas,
            "registration_step": profile.step,
        },
        "school_memberships": [
            {
                "school": m.school.name,
                "city": m.school.city,
                "country": m.school.country.code,
                "main_school": m.is_main,
                "status": m.status,
                "head_of_school": m.head_status,
                "confirmed_by_head": m.head_confirmed,
                "joined_at": m.joined_at.isoformat(),
                "validated_at": m.validated_at.isoformat() if m.validated_at else None,
                "ended_at": m.ended_at.isoformat() if m.ended_at else None,
            }
            for m in memberships
        ],
        "membership_history": [
            {
                "school": c.membership.school.name,
                "what": c.kind,
                "from": c.old,
                "to": c.new,
                "note": c.note,
                "at": c.at.isoformat(),
            }
            for c in changes
        ],
        "schools_registered": [
            {
                "name": s.name,
                "city": s.city,
                "registered_at": s.registered_at.isoformat(),
            }
            for s in School.objects.filter(registered_by=user)
        ],
    }
