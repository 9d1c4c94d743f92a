"""Browser journey of founding a European project (R7, R8, R9a, R10) in Debian's Chromium.

A (Romania) proposes a project, finds B (Italy) in the partner search and invites them as
co-founder; B accepts from the dashboard; the project waits for both NSOs; the Romanian
evaluator approves in the admin with the bulk action, the Italian one with the button of
the approval's page; A and B both see the European project with its TwinSpace link.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from projects.enums import ProjectKind, ProjectStatus
from projects.models import Project
from tests.browser.conftest import sign_in
from tests.factories.accounts import (
    PASSWORD,
    SchoolFactory,
    country,
    make_evaluator,
    make_teacher,
)


def _verified(*users):
    for user in users:
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


@pytest.mark.django_db(transaction=True)
def test_two_teachers_of_two_countries_found_a_european_project(
    page, portal_url, browser
):
    a = make_teacher(
        SchoolFactory(country=country("RO"), name="Liceul Teoretic Avram Iancu"),
        first_name="Ana",
        last_name="Pop",
    )
    b = make_teacher(
        SchoolFactory(country=country("IT"), name="Istituto Galilei", city="Pisa"),
        first_name="Bruno",
        last_name="Bianchi",
    )
    nso_ro = make_evaluator("RO")
    nso_it = make_evaluator("IT")
    _verified(a, b, nso_ro, nso_it)

    # A proposes; a wrong end date is refused with a message and nothing typed is lost.
    sign_in(page, portal_url, a.username, PASSWORD)
    page.goto(f"{portal_url}/dashboard/")
    page.get_by_role("link", name="Propose a project").first.click()
    page.fill("#id_title", "Bridges over rivers")
    page.fill("#id_description", "Pupils compare the bridges of their towns.")
    page.get_by_label("Geography").check()
    page.get_by_label("English").check()
    page.fill("#id_planned_start", "2027-03-01")
    page.fill("#id_planned_end", "2027-02-01")
    page.get_by_role("button", name="Propose the project").click()
    expect(page.get_by_text("must come after the planned start")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Bridges over rivers")
    page.fill("#id_planned_end", "2027-06-30")
    page.get_by_role("button", name="Propose the project").click()
    expect(page.locator("#project-status-text")).to_contain_text(
        "Waiting for the co-founder"
    )

    # A finds B in the partner search and invites them as co-founder.
    page.get_by_role("link", name="Find a co-founder").click()
    page.select_option("#id_country", label="Italy")
    page.fill("#id_q", "galilei")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_contain_text("Bruno Bianchi")
    page.get_by_role("button", name="Invite as co-founder").click()
    expect(page.get_by_text("is invited to co-found")).to_be_visible()

    # B accepts from the dashboard.
    context_b = browser.new_context()
    page_b = context_b.new_page()
    sign_in(page_b, portal_url, b.username, PASSWORD)
    page_b.goto(f"{portal_url}/dashboard/")
    invitations = page_b.locator("#invitations-to-me")
    expect(invitations).to_contain_text("invites you to co-found")
    invitations.get_by_role("button", name="Accept").click()
    expect(page_b.locator("#project-status-text")).to_contain_text(
        "Waiting for approval by the National Support Organisation"
    )
    project = Project.objects.get(title="Bridges over rivers")
    assert project.kind == ProjectKind.EUROPEAN
    assert project.status == ProjectStatus.AWAITING_APPROVAL

    # The Romanian NSO approves with the bulk action, the Italian one from the page.
    context_nso = browser.new_context()
    page_nso = context_nso.new_page()
    sign_in(page_nso, portal_url, nso_ro.username, PASSWORD)
    page_nso.goto(f"{portal_url}/admin/projects/projectapproval/")
    expect(page_nso.locator("#result_list")).to_contain_text("Bridges over rivers")
    page_nso.locator("#action-toggle").check()
    page_nso.select_option("select[name=action]", "approve_selected")
    page_nso.locator("button[name=index]").click()
    expect(page_nso.get_by_text("1 project decided.")).to_be_visible()
    context_nso.close()

    context_nso = browser.new_context()
    page_nso = context_nso.new_page()
    sign_in(page_nso, portal_url, nso_it.username, PASSWORD)
    approval = project.approvals.get(country__code="IT")
    page_nso.goto(f"{portal_url}/admin/projects/projectapproval/{approval.pk}/change/")
    page_nso.get_by_role("button", name="Approve").click()
    expect(page_nso.get_by_text("1 project decided.")).to_be_visible()
    context_nso.close()
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACTIVE

    # Both founders see the European project and its TwinSpace.
    for who in (page, page_b):
        who.goto(f"{portal_url}{project.get_absolute_url()}")
        expect(who.locator(".project-hero")).to_contain_text("European")
        expect(who.locator(".project-hero")).to_contain_text("Active")
        expect(who.get_by_role("link", name="Open the TwinSpace")).to_be_visible()
    page_b.goto(f"{portal_url}/dashboard/")
    expect(page_b.locator("#my-projects")).to_contain_text("Bridges over rivers")
    context_b.close()
