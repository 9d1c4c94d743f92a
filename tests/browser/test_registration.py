"""R3 in real Chromium: teacher A registers a new school; teacher B finds it as
"my school is already registered" and ends in the same school."""

import re

import pytest
from playwright.sync_api import expect

from accounts.enums import MembershipStatus
from accounts.models import School, SchoolMembership
from tests.browser.conftest import confirmation_link

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Twinning-2026!"


def _sign_up_and_confirm(page, portal_url: str, username: str) -> None:
    email = f"{username}@example.org"
    page.goto(portal_url + "/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    link = confirmation_link(email).replace("http://etwinning.local", portal_url)
    page.goto(link)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/register/"))


def _role_and_profile(page, first: str, last: str) -> None:
    page.check("#role-teacher")
    page.get_by_role("button", name="Continue").click()
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    page.get_by_label("Mathematics").check()
    page.get_by_label("12 to 15").check()
    page.locator("input[name=languages][value=en]").check()
    page.locator("input[name=languages][value=ro]").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(
        page.get_by_role("heading", name="My school is already registered")
    ).to_be_visible()


def test_teacher_a_registers_a_school_and_teacher_b_joins_it(page, portal_url):
    # Teacher A: the first of the school registers it.
    _sign_up_and_confirm(page, portal_url, "teacher_a")
    _role_and_profile(page, "Andrei", "Avram")
    page.fill("#id_new-name", "Școala Gimnazială Avram Iancu")
    page.select_option("#id_new-country", "RO")
    page.fill("#id_new-city", "Turda")
    page.select_option("#id_new-level", "lower_secondary")
    page.fill("#id_new-website", "https://scoala-avram-iancu.ro")
    page.get_by_role("button", name="Register my school").click()
    expect(page).to_have_url(re.compile(r"/me/profile/"))
    expect(page.get_by_text("Waiting for validation").first).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("waiting for validation")

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()

    # Teacher B: searches, finds the school and picks it (other case, no accents).
    _sign_up_and_confirm(page, portal_url, "teacher_b")
    _role_and_profile(page, "Bianca", "Bratu")
    page.select_option("#id_country", "RO")
    page.fill("#id_city", "turda")
    page.fill("#id_q", "scoala avram")
    page.get_by_role("button", name="Search").click()
    result = page.locator("#school-results")
    expect(result).to_contain_text("Școala Gimnazială Avram Iancu")
    result.get_by_role("button", name="This is my school").click()
    expect(page).to_have_url(re.compile(r"/me/profile/"))
    expect(
        page.get_by_role("link", name="Școala Gimnazială Avram Iancu")
    ).to_be_visible()

    assert School.objects.count() == 1
    school = School.objects.get()
    links = SchoolMembership.objects.filter(school=school).order_by("teacher__username")
    assert [m.teacher.username for m in links] == ["teacher_a", "teacher_b"]
    assert {m.status for m in links} == {MembershipStatus.PENDING}


def test_typing_a_school_that_exists_offers_it_instead_of_a_duplicate(page, portal_url):
    from tests.factories.accounts import SchoolFactory

    SchoolFactory(name="Liceul Teoretic Mihai Eminescu", city="Cluj-Napoca")
    _sign_up_and_confirm(page, portal_url, "teacher_c")
    _role_and_profile(page, "Cezar", "Cozma")
    page.fill("#id_new-name", "LICEUL TEORETIC MIHAI EMINESCU")
    page.select_option("#id_new-country", "RO")
    page.fill("#id_new-city", "Cluj Napoca")
    page.select_option("#id_new-level", "upper_secondary")
    page.get_by_role("button", name="Register my school").click()
    expect(page.get_by_text("This school is already registered as")).to_be_visible()
    # Nothing typed is lost.
    expect(page.locator("#id_new-name")).to_have_value("LICEUL TEORETIC MIHAI EMINESCU")
    page.get_by_role("button", name="Yes, this is my school").click()
    expect(page).to_have_url(re.compile(r"/me/profile/"))
    assert School.objects.count() == 1
