"""State changes of the accounts app (registration, validation, schools)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

EVALUATOR_GROUP = "NSO evaluators"

# The admin models an evaluator works with; each app's ModelAdmin scopes rows to the evaluator's countries.
EVALUATOR_PERMISSIONS = {
    "accounts": [
        "view_school",
        "view_schoolmembership",
        "change_schoolmembership",
        "view_teacherprofile",
    ],
}


def ensure_evaluator_group() -> Group:
    """Create (or refresh) the NSO evaluators' group with its admin permissions."""
    group, _ = Group.objects.get_or_create(name=EVALUATOR_GROUP)
    for app_label, codenames in EVALUATOR_PERMISSIONS.items():
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        group.permissions.add(*perms)
    return group
