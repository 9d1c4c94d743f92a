"""R5 in real Chromium: a pending teacher sees the banner and is refused founding a project
with a clear message; once the NSO validates the school link, the proposal form opens."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import expect

from accounts import services
from accounts.enums import MembershipStatus
from tests.browser.conftest import sign_in
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    make_evaluator,
    make_teacher,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_pending_teacher_is_refused_founding_a_project_with_a_clear_message(
    page, portal_url
):
    teacher = make_teacher(
        SchoolFactory(), status=MembershipStatus.PENDING, username="pendingteacher"
    )
    EmailAddress.objects.create(
        user=teacher, email=teacher.email, verified=True, primary=True
    )
    sign_in(page, portal_url, "pendingteacher", PASSWORD)
    expect(page.locator("#user-menu")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("waiting for validation")

    page.goto(portal_url + reverse("projects:propose"))
    refusal = page.locator("#propose-refused")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("You cannot propose a project yet")
    expect(refusal).to_contain_text("waiting for validation")
    expect(
        page.locator(
            "form button[type=submit]", has_text=re.compile("Propose the project")
        )
    ).to_have_count(0)

    # The NSO validates the link: the banner goes and the form opens.
    services.validate_membership(teacher.memberships.get(), actor=make_evaluator("RO"))
    page.reload()
    expect(page.locator("#propose-refused")).to_have_count(0)
    expect(page.get_by_role("button", name="Propose the project")).to_be_visible()
