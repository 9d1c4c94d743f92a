"""R12-R14 in a real browser: an administrator writes a page with a YouTube video,
creates two pupils, and a pupil signs in with the printed card and posts in the forum."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.twinspace import make_twinspace

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_writes_page_with_video_creates_pupils_and_a_pupil_posts(
    page, portal_url
):
    world = make_twinspace()
    admin = world.admin
    EmailAddress.objects.create(
        user=admin, email=admin.email, verified=True, primary=True
    )
    ts_url = f"{portal_url}/twinspace/{world.twinspace.pk}/"

    sign_in(page, portal_url, admin.username, PASSWORD)
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(ts_url)
    expect(page.locator(".ts-role-badge")).to_have_text("Teacher administrator")
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []

    # A page with text and a YouTube video on a line of its own.
    page.get_by_role("link", name="New page").first.click()
    page.fill("input[name=title]", "Our first meeting")
    page.fill(
        "textarea[name=source]",
        "We met online on Monday.\n\n"
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ\n\n"
        "<script>alert('x')</script>Next time: legends.",
    )
    page.get_by_role("button", name="Save the page").click()
    expect(page.get_by_role("heading", name="Our first meeting")).to_be_visible()
    expect(page.locator(".page-content")).to_contain_text("We met online on Monday.")
    expect(page.locator(".page-content")).to_contain_text("Next time: legends.")
    player = page.locator(".page-content iframe")
    expect(player).to_have_count(1)
    expect(player).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    )
    expect(page.locator(".page-content script")).to_have_count(0)

    # Two pupils, created in bulk; their cards are shown once.
    page.get_by_role("link", name="Members").click()
    page.get_by_role("link", name="Create pupil accounts").first.click()
    page.fill("textarea[name=names]", "Andrei Ionescu\nSofia Kaya")
    page.get_by_role("button", name="Create the accounts").click()
    expect(page.locator(".pupil-name")).to_have_text(["Andrei I.", "Sofia K."])
    username = page.locator(".pupil-username").first.inner_text().strip()
    password = page.locator(".pupil-password").first.inner_text().strip()
    assert re.fullmatch(r"andrei\.i\.\d{4}", username)

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()

    # The pupil signs in with the card (no e-mail) and lands in the TwinSpace.
    sign_in(page, portal_url, username, password)
    expect(page).to_have_url(ts_url)
    expect(page.locator(".ts-role-badge")).to_have_text("Pupil")
    expect(page.get_by_role("link", name="Our first meeting").first).to_be_visible()

    page.get_by_role("link", name="Forum").click()
    page.fill("input[name=title]", "Hello from Andrei")
    page.fill("textarea[name=body]", "I like the video about our legends!")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", name="Hello from Andrei")).to_be_visible()
    expect(page.locator(".ts-posts")).to_contain_text(
        "I like the video about our legends!"
    )
    expect(page.locator(".ts-posts")).to_contain_text("Andrei I.")

    # Outside the TwinSpace there is nothing for a pupil.
    page.goto(f"{portal_url}/dashboard/")
    expect(page).to_have_url(ts_url)
