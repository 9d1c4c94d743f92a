"""Who may do what in the labels app (pretalx style: small predicates, one place).

Quality Label predicates first; the School Label adds its own below.
"""

from __future__ import annotations

import rules

from accounts.rules import is_central_staff, is_evaluator, is_validated_teacher

# --- National and European Quality Label (R16-R26a) -------------------------


@rules.predicate
def is_quality_applicant(user, application) -> bool:
    """The teacher who owns the application (R20: the label is personal)."""
    return bool(user and user.is_authenticated and application.teacher_id == user.pk)


@rules.predicate
def can_apply_for_quality_label(user, project) -> bool:
    """A validated teacher in a European project (R17) who has not applied yet (R20)."""
    if not is_validated_teacher(user) or project is None or not project.is_european:
        return False
    if not project.members.filter(teacher=user).exists():
        return False
    return not project.quality_applications.filter(teacher=user).exists()


@rules.predicate
def is_quality_evaluator(user, application) -> bool:
    """R21: an evaluator of the applicant's school's country, never of their own school."""
    from labels.services.quality import can_evaluate

    return can_evaluate(user, application)


@rules.predicate
def holds_quality_label(user, application) -> bool:
    return bool(is_quality_applicant(user, application) and application.is_awarded)


rules.add_perm("labels.apply_quality_label", can_apply_for_quality_label)
rules.add_perm("labels.edit_quality_application", is_quality_applicant)
rules.add_perm("labels.evaluate_quality_application", is_quality_evaluator)
rules.add_perm("labels.issue_pupil_certificates", holds_quality_label)
rules.add_perm("labels.award_european_label", is_central_staff)
rules.add_perm("labels.nominate_european_label", is_evaluator | is_central_staff)


# --- eTwinning School Label (R27-R36) ----------------------------------------


@rules.predicate
def is_school_label_teacher(user, application) -> bool:
    """A validated teacher (or head) of the application's school (R30: any of them may edit)."""
    from labels.services.school import is_school_teacher

    return application is not None and is_school_teacher(user, application.school)


@rules.predicate
def is_school_label_head(user, application) -> bool:
    """The school's confirmed head, who signs the declaration (R33)."""
    from labels.services.school import is_school_head

    return application is not None and is_school_head(user, application.school)


@rules.predicate
def is_school_label_evaluator(user, application) -> bool:
    """An NSO evaluator of the school's country, or central staff (R34)."""
    if application is None:
        return False
    return is_central_staff(user) or (
        is_evaluator(user)
        and user.evaluator_countries.filter(pk=application.school.country_id).exists()
    )


rules.add_perm("labels.edit_school_label_application", is_school_label_teacher)
rules.add_perm("labels.sign_school_label_application", is_school_label_head)
rules.add_perm("labels.review_school_label_application", is_school_label_evaluator)
