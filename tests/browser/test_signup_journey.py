"""A newcomer signs up, verifies the e-mail, signs in and reads the portal in Romanian."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import confirmation_link

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_verify_sign_in_and_switch_to_romanian(page, portal_url, settings):
    page.goto(portal_url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    page.fill("input[name=email]", "ana.popescu@example.org")
    page.fill("input[name=username]", "anapopescu")
    page.fill("input[name=password1]", "Twinning-2026!")
    page.fill("input[name=password2]", "Twinning-2026!")
    page.click("form button[type=submit]")
    expect(
        page.get_by_role("heading", name=re.compile("Verify Your Email Address", re.I))
    ).to_be_visible()

    link = confirmation_link("ana.popescu@example.org").replace(
        "http://etwinning.local", portal_url
    )
    page.goto(link)
    page.click("form button[type=submit]")
    # Confirming signs the new teacher in and sends them to finish registration.
    expect(page).to_have_url(re.compile(r"/me/register/"))

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto(portal_url + "/accounts/login/")
    page.fill("input[name=login]", "ana.popescu@example.org")
    page.fill("input[name=password]", "Twinning-2026!")
    page.click("form button[type=submit]")
    expect(page.locator("#user-menu")).to_have_text("anapopescu")

    page.select_option("#lang-select", "ro")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator(".skip-link")).to_have_text("Salt la conținutul principal")
