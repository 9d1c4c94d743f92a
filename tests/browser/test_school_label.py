"""Browser journey of the eTwinning School Label (R30-R35) in Debian's Chromium.

A teacher of a school selected in stage one drafts the application, the head signs it,
the teacher submits; an evaluator of the country returns it in the admin; the teacher
improves it (which voids the signature), the head signs again, the teacher resubmits;
the evaluator awards the label; the certificate downloads and verifies publicly.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from labels.enums import SchoolLabelSection, SchoolLabelStatus
from labels.models import SchoolLabel, SchoolLabelApplication
from labels.services.school import select_stage_one
from tests.browser.conftest import sign_in
from tests.factories.accounts import PASSWORD, make_evaluator
from tests.factories.labels import (
    ensure_countries,
    make_campaign,
    make_selectable_school,
)


def _verified(*users):
    for user in users:
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


def _as(browser, portal_url, user):
    page = browser.new_context().new_page()
    sign_in(page, portal_url, user.username, PASSWORD)
    return page


def _fill_section(page, key: str, text: str) -> None:
    if key == SchoolLabelSection.ONLINE_SAFETY:
        page.check("input[name=policy][value=yes]")
    page.fill("#id_description", f"{text}: how we do it.")
    page.fill("#id_evidence", "https://example.org/evidence")
    if key != SchoolLabelSection.ONLINE_SAFETY:
        page.fill("#id_plans", f"{text}: our next two years.")
    page.get_by_role("button", name="Save and back to the overview").click()
    expect(page.locator("#status")).to_be_visible()


def _sign(page, head, application_url: str) -> None:
    page.goto(application_url)
    page.get_by_role("link", name="Read and sign").click()
    page.fill("#id_full_name", head.get_full_name())
    page.fill("#id_password", PASSWORD)
    page.check("#id_confirm")
    page.get_by_role("button", name="Sign the declaration").click()
    expect(page.locator("#signature-state")).to_contain_text("Signed by")


def _decide(page, portal_url, application, decision: str, feedback: str) -> None:
    page.goto(
        f"{portal_url}/admin/labels/schoollabelapplication/{application.pk}/change/"
    )
    expect(page.get_by_text("A collaborative school: how we do it.")).to_be_visible()
    page.select_option("#id_decision", decision)
    page.fill("#id_decision_feedback", feedback)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist, .errornote").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_school_label_journey_from_draft_to_verified_certificate(browser, portal_url):
    ensure_countries()
    campaign = make_campaign()
    school, (head, teacher, _colleague) = make_selectable_school(campaign)
    select_stage_one(campaign)
    evaluator = make_evaluator("RO", first_name="Nadia", last_name="Evaluator")
    _verified(head, teacher, evaluator)

    # The teacher starts the school's application and drafts every section.
    author = _as(browser, portal_url, teacher)
    author.goto(f"{portal_url}/labels/school/")
    expect(author.get_by_text("3 of the 3 active teachers")).to_be_visible()
    author.get_by_role("button", name="Start the school's application").click()
    application = SchoolLabelApplication.objects.get(school=school)
    application_url = f"{portal_url}{application.get_absolute_url()}"
    for key, label in SchoolLabelSection.choices:
        author.goto(f"{application_url}sections/{key}/")
        _fill_section(author, key, str(label))
    expect(author.get_by_text("6 of 6 sections complete")).to_be_visible()
    expect(
        author.get_by_role("button", name="Submit to the National Support Organisation")
    ).to_be_disabled()

    # The head reads it all and signs.
    head_page = _as(browser, portal_url, head)
    _sign(head_page, head, application_url)

    # The teacher submits.
    author.goto(application_url)
    author.get_by_role(
        "button", name="Submit to the National Support Organisation"
    ).click()
    expect(author.locator("#status")).to_have_text("Submitted")

    # The evaluator returns it with feedback.
    nso = _as(browser, portal_url, evaluator)
    _decide(
        nso,
        portal_url,
        application,
        "reject",
        "Please attach your eTwinning action plan.",
    )
    application.refresh_from_db()
    assert application.status == SchoolLabelStatus.REJECTED

    # The teacher improves one section: the head's signature is void, so the head signs again.
    author.goto(application_url)
    expect(
        author.get_by_text("Please attach your eTwinning action plan.")
    ).to_be_visible()
    author.goto(f"{application_url}sections/collaboration/")
    author.fill("#id_evidence", "https://example.org/action-plan.pdf")
    author.get_by_role("button", name="Save and back to the overview").click()
    expect(author.locator("#signature-state")).to_contain_text("Not signed")
    _sign(head_page, head, application_url)
    author.goto(application_url)
    author.get_by_role(
        "button", name="Submit to the National Support Organisation"
    ).click()
    expect(author.locator("#status")).to_have_text("Submitted")

    # The evaluator awards the label.
    _decide(nso, portal_url, application, "award", "Congratulations!")
    label = SchoolLabel.objects.get(application=application)

    # The certificate downloads, and anyone can verify it by its code.
    author.goto(application_url)
    expect(
        author.get_by_role("heading", name=re.compile("eTwinning School 2025-2026"))
    ).to_be_visible()
    with author.expect_download() as pdf_info:
        author.get_by_role("link", name="Download the certificate (PDF)").click()
    pdf_path = pdf_info.value.path()
    with open(pdf_path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    with author.expect_download() as png_info:
        author.get_by_role("link", name="Image (PNG)").click()
    with open(png_info.value.path(), "rb") as handle:
        assert handle.read(4) == b"\x89PNG"

    visitor = browser.new_context().new_page()
    visitor.goto(f"{portal_url}/labels/verify/")
    visitor.fill("#id_code", label.code)
    visitor.get_by_role("button", name="Verify").click()
    expect(visitor.locator("#verify-result")).to_contain_text("Genuine certificate")
    expect(visitor.locator("#verify-result")).to_contain_text(school.name)
