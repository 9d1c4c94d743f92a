"""Browser journey of the National Quality Label (R16-R25) in Debian's Chromium.

A teacher applies from the project page, types part of the form, reloads (the text is
there), loses the session mid-form (the text is kept and saved after signing in again),
submits; an evaluator of the right country scores and awards it in the admin; the
teacher sees the label on the project page.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from labels.enums import NQLStatus
from labels.models.quality import QualityLabelApplication
from tests.browser.conftest import sign_in
from tests.factories.accounts import PASSWORD, make_evaluator
from tests.factories.labels_quality import COMPLETE_ANSWERS, european_project


def _verified(*users):
    for user in users:
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


@pytest.mark.django_db(transaction=True)
def test_quality_label_journey_survives_reload_and_expired_session(
    page, portal_url, browser
):
    project, teacher, _partner = european_project("RO", "FR")
    evaluator = make_evaluator("RO", first_name="Elena", last_name="Evaluator")
    _verified(teacher, evaluator)

    sign_in(page, portal_url, teacher.username, PASSWORD)
    page.goto(f"{portal_url}{project.get_absolute_url()}")
    page.get_by_role("link", name="Apply for Quality Label").click()

    # R16: five yeses first.
    for label in page.locator("label.btn-outline-success").all():
        label.click()
    page.get_by_role("button", name="Continue to the application").click()
    expect(page.locator("#quality-form")).to_be_visible()
    application = QualityLabelApplication.objects.get(teacher=teacher)

    # R25: autosave while typing, "Saved at HH:MM", and a reload keeps the text.
    page.fill("#id_collaboration", "Pupils of both schools wrote a common e-book.")
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=10_000
    )
    page.reload()
    expect(page.locator("#id_collaboration")).to_have_value(
        "Pupils of both schools wrote a common e-book."
    )

    # The session expires mid-form: the text stays in the browser...
    page.context.clear_cookies(name="sessionid")
    page.fill("#id_technology", "A shared padlet, typed while signed out.")
    page.locator("#id_pedagogy").focus()  # leaving the field saves at once
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "session has expired", timeout=10_000
    )
    application.refresh_from_db()
    assert application.technology == ""
    # Typing on while signed out keeps the prompt (no "Saving..." over it).
    page.fill("#id_pedagogy", "Pupils voted on the e-book's cover.")
    page.locator("#id_curriculum").focus()
    page.wait_for_timeout(1_500)  # past the autosave pause
    expect(page.get_by_role("link", name="Sign in again")).to_be_visible()
    # ...and everything is saved after signing in again.
    page.get_by_role("link", name="Sign in again").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=login]", teacher.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("#quality-form")).to_be_visible()
    expect(page.locator("#id_technology")).to_have_value(
        "A shared padlet, typed while signed out."
    )
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=10_000
    )
    expect(page.locator("#id_pedagogy")).to_have_value(
        "Pupils voted on the e-book's cover."
    )
    application.refresh_from_db()
    assert application.technology == "A shared padlet, typed while signed out."
    assert application.pedagogy == "Pupils voted on the e-book's cover."

    # Fill in the rest and submit.
    for name, text in COMPLETE_ANSWERS.items():
        if name not in ("collaboration", "technology", "pedagogy"):
            page.fill(f"#id_{name}", text)
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator(".alert-success")).to_contain_text("submitted")
    application.refresh_from_db()
    assert application.status == NQLStatus.SUBMITTED

    # The evaluator of Romania scores and awards it in the admin.
    context = browser.new_context()
    admin = context.new_page()
    sign_in(admin, portal_url, evaluator.username, PASSWORD)
    admin.goto(f"{portal_url}/admin/labels/qualitylabelapplication/")
    admin.get_by_role("link", name=project.title).first.click()
    for field in admin.locator("#nql-score-form input[type=number]").all():
        field.fill("5")
    admin.fill("#id_comments", "A model of collaboration.")
    admin.get_by_role("button", name="Record the decision").click()
    expect(admin.locator(".messagelist")).to_contain_text("decision was recorded")
    expect(admin.locator("#nql-status")).to_have_text("Awarded")
    context.close()

    # The teacher sees the label on the project page.
    page.goto(f"{portal_url}{project.get_absolute_url()}")
    expect(page.locator(".quality-panel")).to_contain_text("National Quality Label")
    expect(page.locator(".quality-panel")).to_contain_text(teacher.display_name)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_never_silently_overwrite_each_other(page, portal_url):
    from tests.factories.labels_quality import make_draft

    project, teacher, _partner = european_project("RO", "FR")
    _verified(teacher)
    application = make_draft(teacher, project)
    sign_in(page, portal_url, teacher.username, PASSWORD)
    url = f"{portal_url}/labels/quality/{application.pk}/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.fill("#id_results", "Written in the first tab.")
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"Saved at"), timeout=10_000
    )
    other.fill("#id_results", "Written in the second tab.")
    other.locator("#id_pedagogy").focus()
    conflict = other.locator(".autosave-conflict")
    expect(conflict).to_contain_text("Written in the first tab.", timeout=10_000)
    application.refresh_from_db()
    assert application.results == "Written in the first tab."  # nothing overwritten

    other.get_by_role("button", name="Keep my text everywhere").click()
    expect(other.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"Saved at"), timeout=10_000
    )
    application.refresh_from_db()
    assert application.results == "Written in the second tab."
