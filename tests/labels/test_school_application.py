"""Stage two of the School Label (R30-R35): one application per school, sections with
versions, the head's signature, submission, evaluation and the label."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from labels.enums import SchoolLabelSection, SchoolLabelStatus
from labels.models import SchoolLabel, SchoolLabelEvent
from labels.services import school as services
from labels.services.school import (
    EditConflict,
    SchoolLabelError,
    decide_school_application,
    save_section,
    sign_application,
    start_application,
    submit_school_application,
)
from tests.factories.accounts import PASSWORD, make_evaluator, make_teacher
from tests.factories.labels import make_campaign, make_selectable_school

pytestmark = pytest.mark.django_db


def fill(application, teacher) -> None:
    """Complete every section."""
    for key in SchoolLabelSection.values:
        section = application.sections.get(key=key)
        save_section(
            application,
            key,
            {
                "policy": "yes" if key == SchoolLabelSection.ONLINE_SAFETY else "",
                "description": f"How we do {key}.",
                "evidence": "https://example.org/evidence",
                "plans": f"Next two years of {key}.",
            },
            base_version=section.version,
            actor=teacher,
        )


def sign(application, head):
    return sign_application(
        application, head=head, typed_name=head.get_full_name(), password=PASSWORD
    )


@pytest.fixture
def world():
    campaign = make_campaign()
    services.select_stage_one(
        campaign
    )  # nothing selected yet: the fixture adds schools after
    school, (head, teacher, colleague) = make_selectable_school(campaign)
    services.select_stage_one(campaign)
    return campaign, school, head, teacher, colleague


@pytest.fixture
def ready(world):
    """A complete application signed by the head."""
    campaign, school, head, teacher, _colleague = world
    application, _ = start_application(campaign, school, actor=teacher)
    fill(application, teacher)
    sign(application, head)
    application.refresh_from_db()
    return application, head, teacher


def test_a_teacher_starts_the_application_and_a_colleague_joins_the_same_one(world):
    campaign, school, _head, teacher, colleague = world

    first, created = start_application(campaign, school, actor=teacher)
    second, created_again = start_application(campaign, school, actor=colleague)

    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert sorted(first.sections.values_list("key", flat=True)) == sorted(
        SchoolLabelSection.values
    )


def test_a_school_not_selected_cannot_start(world):
    campaign, *_ = world
    other = make_teacher()
    with pytest.raises(SchoolLabelError):
        start_application(campaign, other.memberships.get().school, actor=other)


def test_a_teacher_of_another_school_cannot_start(world):
    campaign, school, *_ = world
    outsider = make_teacher()
    with pytest.raises(SchoolLabelError):
        start_application(campaign, school, actor=outsider)


def test_two_colleagues_saving_the_same_section_never_overwrite_each_other(world):
    campaign, school, _head, teacher, colleague = world
    application, _ = start_application(campaign, school, actor=teacher)
    key = SchoolLabelSection.COLLABORATION
    base = application.sections.get(key=key).version

    save_section(
        application,
        key,
        {"description": "Teacher's text"},
        base_version=base,
        actor=teacher,
    )
    with pytest.raises(EditConflict) as caught:
        save_section(
            application,
            key,
            {"description": "Colleague's text"},
            base_version=base,
            actor=colleague,
        )

    assert caught.value.section.description == "Teacher's text"
    assert teacher.first_name in str(caught.value)
    section = application.sections.get(key=key)
    assert section.description == "Teacher's text"
    # Told and shown, the colleague saves on top of the version they have now seen.
    save_section(
        application,
        key,
        {"description": "Teacher's text and the colleague's"},
        base_version=caught.value.section.version,
        actor=colleague,
    )
    assert application.sections.get(key=key).description.endswith("colleague's")


def test_signing_needs_the_confirmed_head_the_full_name_and_the_password(world):
    campaign, school, head, teacher, _colleague = world
    application, _ = start_application(campaign, school, actor=teacher)
    fill(application, teacher)

    with pytest.raises(SchoolLabelError):
        sign_application(
            application,
            head=teacher,
            typed_name=teacher.get_full_name(),
            password=PASSWORD,
        )
    with pytest.raises(SchoolLabelError):
        sign_application(
            application, head=head, typed_name=head.get_full_name(), password="wrong"
        )
    with pytest.raises(SchoolLabelError):
        sign_application(
            application, head=head, typed_name="Someone Else", password=PASSWORD
        )

    signed = sign_application(
        application,
        head=head,
        typed_name=f"  {head.get_full_name().upper()} ",
        password=PASSWORD,
    )
    assert signed.signed_by == head
    assert signed.signed_at is not None
    assert signed.signed_digest == services.content_digest(signed)
    assert len(signed.signed_digest) == 64
    assert signed.events.filter(kind=SchoolLabelEvent.Kind.SIGNED).exists()


def test_an_incomplete_application_cannot_be_signed(world):
    campaign, school, head, teacher, _colleague = world
    application, _ = start_application(campaign, school, actor=teacher)
    with pytest.raises(SchoolLabelError):
        sign(application, head)


def test_an_edit_after_signing_voids_the_signature(ready):
    application, _head, teacher = ready
    assert services.signature_is_valid(application)
    section = application.sections.get(key=SchoolLabelSection.MODEL_SCHOOL)

    save_section(
        application,
        section.key,
        {"description": "Changed after signing", "evidence": "x", "plans": "y"},
        base_version=section.version,
        actor=teacher,
    )

    application.refresh_from_db()
    assert not application.is_signed
    assert application.signed_by is None
    assert application.events.filter(
        kind=SchoolLabelEvent.Kind.SIGNATURE_VOIDED
    ).exists()
    with pytest.raises(SchoolLabelError):
        submit_school_application(application, actor=teacher)


def test_saving_the_same_text_again_keeps_the_signature(ready):
    application, _head, teacher = ready
    section = application.sections.get(key=SchoolLabelSection.MODEL_SCHOOL)
    save_section(
        application,
        section.key,
        {
            "description": section.description,
            "evidence": section.evidence,
            "plans": section.plans,
        },
        base_version=section.version,
        actor=teacher,
    )
    application.refresh_from_db()
    assert services.signature_is_valid(application)


def test_a_signature_that_no_longer_matches_the_content_blocks_submission(ready):
    application, _head, teacher = ready
    # Content changed behind the service's back (e.g. a data fix): the digest disagrees.
    application.sections.filter(key=SchoolLabelSection.ONLINE_SAFETY).update(
        description="tampered"
    )
    with pytest.raises(SchoolLabelError):
        submit_school_application(application, actor=teacher)


def test_submitting_needs_every_section_and_a_valid_signature(world):
    campaign, school, head, teacher, colleague = world
    application, _ = start_application(campaign, school, actor=teacher)
    with pytest.raises(SchoolLabelError):
        submit_school_application(application, actor=teacher)
    fill(application, teacher)
    with pytest.raises(SchoolLabelError):
        submit_school_application(application, actor=teacher)
    sign(application, head)

    submitted = submit_school_application(application, actor=colleague)

    assert submitted.status == SchoolLabelStatus.SUBMITTED
    assert submitted.submitted_by == colleague
    # Submitted: no more edits.
    with pytest.raises(SchoolLabelError):
        save_section(
            application,
            SchoolLabelSection.COLLABORATION,
            {"description": "late"},
            base_version=99,
            actor=teacher,
        )


def test_a_rejected_application_is_improved_and_resubmitted(
    ready, django_capture_on_commit_callbacks
):
    application, head, teacher = ready
    evaluator = make_evaluator("RO")
    submit_school_application(application, actor=teacher)
    with django_capture_on_commit_callbacks(execute=True):
        decide_school_application(
            application, award=False, actor=evaluator, feedback="Show the action plan."
        )
    application.refresh_from_db()
    assert application.status == SchoolLabelStatus.REJECTED
    assert application.feedback == "Show the action plan."
    assert any("needs improvement" in m.subject for m in mail.outbox)

    section = application.sections.get(key=SchoolLabelSection.COLLABORATION)
    save_section(
        application,
        section.key,
        {
            "description": "Our action plan: ...",
            "evidence": "plan.pdf",
            "plans": "More",
        },
        base_version=section.version,
        actor=teacher,
    )
    application.refresh_from_db()
    assert not application.is_signed
    sign(application, head)
    resubmitted = submit_school_application(application, actor=teacher)

    assert resubmitted.status == SchoolLabelStatus.SUBMITTED
    statuses = list(
        application.events.filter(kind=SchoolLabelEvent.Kind.STATUS)
        .order_by("at", "id")
        .values_list("old", "new")
    )
    assert statuses == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "rejected"),
        ("rejected", "submitted"),
    ]


def test_the_application_is_locked_after_the_deadline(ready):
    application, _head, teacher = ready
    campaign = application.campaign
    campaign.deadline = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    application.refresh_from_db()
    section = application.sections.get(key=SchoolLabelSection.COLLABORATION)

    with pytest.raises(SchoolLabelError, match="deadline"):
        save_section(
            application,
            section.key,
            {"description": "late"},
            base_version=section.version,
            actor=teacher,
        )
    with pytest.raises(SchoolLabelError, match="deadline"):
        submit_school_application(application, actor=teacher)
    with pytest.raises(SchoolLabelError):
        start_application(campaign, application.school, actor=teacher)


def test_a_rejected_application_cannot_be_resubmitted_after_the_deadline(ready):
    application, _head, teacher = ready
    submit_school_application(application, actor=teacher)
    decide_school_application(
        application, award=False, actor=make_evaluator("RO"), feedback="More evidence."
    )
    campaign = application.campaign
    campaign.deadline = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    application.refresh_from_db()
    with pytest.raises(SchoolLabelError, match="deadline"):
        submit_school_application(application, actor=teacher)


def test_only_evaluators_of_the_school_country_decide_and_rejection_needs_feedback(
    ready,
):
    application, _head, teacher = ready
    submit_school_application(application, actor=teacher)
    with pytest.raises(SchoolLabelError):
        decide_school_application(
            application, award=True, actor=make_evaluator("IT"), feedback=""
        )
    with pytest.raises(SchoolLabelError):
        decide_school_application(
            application, award=False, actor=make_evaluator("RO"), feedback="  "
        )


def test_the_award_creates_a_two_school_year_label_with_a_verification_code(ready):
    application, _head, teacher = ready
    submit_school_application(application, actor=teacher)

    decide_school_application(
        application, award=True, actor=make_evaluator("RO"), feedback=""
    )

    label = SchoolLabel.objects.get(application=application)
    assert label.title == "eTwinning School 2025-2026"
    assert (label.valid_from, label.valid_until) == (
        datetime.date(2025, 9, 1),
        datetime.date(2027, 8, 31),
    )
    assert label.code.startswith("ETS-")
    assert label.school == application.school
    # Awarded is final.
    with pytest.raises(SchoolLabelError):
        decide_school_application(
            application, award=False, actor=make_evaluator("RO"), feedback="no"
        )


def test_certificates_are_a_png_and_a_pdf(ready):
    application, _head, teacher = ready
    submit_school_application(application, actor=teacher)
    decide_school_application(
        application, award=True, actor=make_evaluator("RO"), feedback=""
    )
    label = SchoolLabel.objects.get(application=application)

    png = services.certificate_png(label, "https://example.org/labels/verify/?code=X")
    pdf = services.certificate_pdf(label, "https://example.org/labels/verify/?code=X")

    assert png.startswith(b"\x89PNG")
    assert pdf.startswith(b"%PDF")
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (1600, 1131)


def test_a_teachers_own_autosave_landing_first_is_not_a_conflict(world):
    """The form post carries the version from before the autosave that just landed."""
    campaign, school, _head, teacher, _colleague = world
    application, _ = start_application(campaign, school, actor=teacher)
    key = SchoolLabelSection.COLLABORATION
    save_section(
        application, key, {"description": "Half"}, base_version=0, actor=teacher
    )

    saved = save_section(
        application,
        key,
        {"description": "Half and whole"},
        base_version=0,
        actor=teacher,
    )

    assert saved.description == "Half and whole"
    assert saved.version == 2
