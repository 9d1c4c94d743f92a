"""R10-R15 as services: the TwinSpace follows its project, pupils' accounts, roles,
page history, forum moderation, read-only closed projects and the NSO's read access."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import UserKind
from accounts.models import User
from projects import signals
from projects.enums import MemberRole as ProjectRole
from projects.enums import ProjectStatus
from projects.models import Project, ProjectMember
from tests.factories.accounts import make_evaluator, make_teacher
from tests.factories.projects import make_founded_project
from tests.factories.twinspace import make_twinspace, role_of
from twinspace import services
from twinspace.enums import MemberRole
from twinspace.models import Activity, RoleChange, TwinSpace, TwinSpaceMember

pytestmark = pytest.mark.django_db


# --- R10, R11: the TwinSpace follows its project -------------------------------------------


def test_project_opened_creates_twinspace_with_founders_as_administrators():
    a, b = make_teacher(), make_teacher()
    project = make_founded_project(a, b)
    signals.project_opened.send(sender=Project, project=project)
    twinspace = TwinSpace.objects.get(project=project)
    assert role_of(a, twinspace) == MemberRole.TEACHER_ADMIN
    assert role_of(b, twinspace) == MemberRole.TEACHER_ADMIN
    assert RoleChange.objects.filter(twinspace=twinspace).count() == 2
    # Sent twice (a retried task): still one TwinSpace, same members.
    signals.project_opened.send(sender=Project, project=project)
    assert TwinSpace.objects.filter(project=project).count() == 1
    assert twinspace.members.count() == 2


def test_founders_announced_before_approval_open_no_twinspace():
    """R9a: until the NSO approves, the project waits and has no TwinSpace."""
    a, b = make_teacher(), make_teacher()
    project = make_founded_project(a, b, status=ProjectStatus.AWAITING_APPROVAL)
    for member in project.members.all():
        signals.project_member_added.send(
            sender=Project, project=project, member=member
        )
    assert not TwinSpace.objects.filter(project=project).exists()


def test_partner_who_joins_becomes_teacher_member():
    world = make_twinspace()
    partner = make_teacher()
    member = ProjectMember.objects.create(
        project=world.project,
        teacher=partner,
        school=partner.memberships.get().school,
        role=ProjectRole.PARTNER,
    )
    signals.project_member_added.send(
        sender=Project, project=world.project, member=member
    )
    assert role_of(partner, world.twinspace) == MemberRole.TEACHER
    assert Activity.objects.filter(
        twinspace=world.twinspace, actor=partner, verb="joined"
    ).exists()


def test_closed_project_twinspace_stays_readable_and_changes_no_more(client):
    """R11."""
    world = make_twinspace()
    page = services.create_page(
        world.twinspace, title="Plan", source="x", actor=world.admin
    )
    signals.project_closed.send(sender=Project, project=world.project)
    world.twinspace.refresh_from_db()
    assert world.twinspace.is_read_only
    client.force_login(world.admin)
    home = client.get(reverse("twinspace:home", args=[world.twinspace.pk]))
    assert home.status_code == 200
    assert "stays open for reading" in home.content.decode()
    assert (
        client.get(
            reverse("twinspace:page", args=[world.twinspace.pk, page.pk])
        ).status_code
        == 200
    )
    for name, args in [
        ("page_new", [world.twinspace.pk]),
        ("page_edit", [world.twinspace.pk, page.pk]),
        ("pupils_new", [world.twinspace.pk]),
    ]:
        assert client.get(reverse(f"twinspace:{name}", args=args)).status_code == 403
    response = client.post(
        reverse("twinspace:forum", args=[world.twinspace.pk]),
        {"title": "Late", "body": "Too late"},
    )
    assert response.status_code == 403


# --- R13: roles -----------------------------------------------------------------------------


def test_administrator_promotes_teacher_and_the_change_is_audited():
    world = make_twinspace()
    member = TwinSpaceMember.objects.get(twinspace=world.twinspace, user=world.teacher)
    services.change_member_role(member, actor=world.admin)
    assert role_of(world.teacher, world.twinspace) == MemberRole.TEACHER_ADMIN
    change = RoleChange.objects.filter(user=world.teacher).order_by("-pk").first()
    assert (change.old, change.new, change.actor) == (
        MemberRole.TEACHER,
        MemberRole.TEACHER_ADMIN,
        world.admin,
    )


def test_pupil_can_be_made_pupil_administrator():
    world = make_twinspace()
    member = TwinSpaceMember.objects.get(twinspace=world.twinspace, user=world.pupil)
    services.change_member_role(member, actor=world.admin)
    assert role_of(world.pupil, world.twinspace) == MemberRole.PUPIL_ADMIN


def test_last_teacher_administrator_cannot_step_down():
    world = make_twinspace()
    cofounder = TwinSpaceMember.objects.get(
        twinspace=world.twinspace, user=world.cofounder
    )
    services.change_member_role(cofounder, actor=world.admin)  # now a plain teacher
    admin = TwinSpaceMember.objects.get(twinspace=world.twinspace, user=world.admin)
    with pytest.raises(ValidationError, match="at least one teacher administrator"):
        services.change_member_role(admin, actor=world.admin)


def test_visitor_must_be_an_existing_portal_member_not_a_pupil():
    world = make_twinspace()
    with pytest.raises(ValidationError, match="No portal member"):
        services.add_visitor(world.twinspace, "nobody-here", actor=world.admin)
    with pytest.raises(ValidationError, match="No portal member"):
        services.add_visitor(world.twinspace, world.pupil.username, actor=world.admin)
    teacher = make_teacher()
    member = services.add_visitor(
        world.twinspace, teacher.email.upper(), actor=world.admin
    )
    assert member.role == MemberRole.VISITOR


def test_only_teachers_of_the_project_join_as_teachers():
    world = make_twinspace()
    with pytest.raises(ValidationError, match="Only teachers of this project"):
        services.add_teacher_of_project(
            world.twinspace, make_teacher(), actor=world.admin
        )


def test_removed_pupil_in_no_other_twinspace_is_deactivated():
    world = make_twinspace()
    member = TwinSpaceMember.objects.get(twinspace=world.twinspace, user=world.pupil)
    services.remove_member(member, actor=world.admin)
    world.pupil.refresh_from_db()
    assert not world.pupil.is_active
    assert not world.pupil.has_usable_password()


# --- R13: pupil accounts --------------------------------------------------------------------


def test_bulk_pupils_keep_first_name_and_initial_only_and_no_email():
    world = make_twinspace()
    credentials = services.create_pupils(
        world.twinspace,
        "Maria Ionela Popescu\n\n  Ștefan   Țurcanu \nAyşe\n",
        actor=world.admin,
    )
    assert [c.name for c in credentials] == ["Maria P.", "Ștefan Ț.", "Ayşe"]
    pupils = User.objects.filter(username__in=[c.username for c in credentials])
    assert pupils.count() == 3
    for pupil in pupils:
        assert pupil.kind == UserKind.PUPIL
        assert pupil.email == ""
        assert "Popescu" not in pupil.get_full_name()
        assert "Ionela" not in pupil.get_full_name()
        assert role_of(pupil, world.twinspace) == MemberRole.PUPIL
    assert {c.username.split(".")[0] for c in credentials} == {
        "maria",
        "stefan",
        "ayse",
    }
    for c in credentials:
        user = User.objects.get(username=c.username)
        assert user.check_password(c.password)
        assert c.password not in user.password  # only the hash is kept


def test_pupil_batch_refuses_nonsense_with_a_message():
    world = make_twinspace()
    with pytest.raises(ValidationError, match="at least one name"):
        services.create_pupils(world.twinspace, "\n  \n", actor=world.admin)
    with pytest.raises(ValidationError, match="not names"):
        services.create_pupils(world.twinspace, "Ana\n12345", actor=world.admin)
    with pytest.raises(ValidationError, match="At most"):
        services.create_pupils(
            world.twinspace, "\n".join(["Ana"] * 61), actor=world.admin
        )


def test_pupil_signs_in_with_username_without_email_verification(client, settings):
    """allauth's mandatory e-mail verification does not stop pupils (who have none)."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    world = make_twinspace()
    response = client.post(
        reverse("account_login"),
        {"login": world.pupil.username, "password": world.pupil_password},
    )
    assert response.status_code == 302
    assert response["Location"] == "/pupil/"
    # One TwinSpace: the landing page takes the pupil straight in.
    landing = client.get("/pupil/")
    assert landing["Location"] == world.twinspace.get_absolute_url()
    assert client.get(landing["Location"]).status_code == 200


def test_teacher_without_verified_email_is_still_asked_to_verify(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    teacher = make_teacher()
    response = client.post(
        reverse("account_login"),
        {"login": teacher.username, "password": "Twinning-2026!"},
    )
    assert "/accounts/confirm-email/" in response.get("Location", "") or (
        b"Verify" in response.content
    )


def test_pupil_landing_lists_several_twinspaces(client):
    world = make_twinspace()
    second = services.ensure_twinspace(
        make_founded_project(world.admin, make_teacher())
    )
    TwinSpaceMember.objects.create(
        twinspace=second, user=world.pupil, role=MemberRole.PUPIL
    )
    client.force_login(world.pupil)
    response = client.get("/pupil/")
    assert response.status_code == 200
    assert world.twinspace.name in response.content.decode()
    assert second.name in response.content.decode()


def test_teacher_resets_pupil_password_and_the_old_one_stops_working(client):
    world = make_twinspace()
    client.force_login(world.teacher)
    member = TwinSpaceMember.objects.get(twinspace=world.twinspace, user=world.pupil)
    response = client.post(
        reverse("twinspace:pupil_reset_password", args=[world.twinspace.pk, member.pk])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    world.pupil.refresh_from_db()
    assert not world.pupil.check_password(world.pupil_password)
    new = response.content.decode().split('pupil-password">')[1].split("<")[0]
    assert world.pupil.check_password(new)


def test_teacher_cannot_reset_a_teachers_password_here():
    world = make_twinspace()
    member = TwinSpaceMember.objects.get(twinspace=world.twinspace, user=world.admin)
    with pytest.raises(ValidationError):
        services.reset_pupil_password(member, actor=world.teacher)


# --- R12: pages and history -----------------------------------------------------------------


def test_page_history_keeps_every_version_and_restores_an_earlier_one():
    world = make_twinspace()
    page = services.create_page(
        world.twinspace, title="Plan", source="First plan", actor=world.admin
    )
    services.edit_page(page, title="Plan", source="Second plan", actor=world.pupil)
    revision = page.revisions.get(number=1)
    services.restore_page_revision(revision, actor=world.teacher)
    page.refresh_from_db()
    assert page.source == "First plan"
    assert "First plan" in page.body_html
    history = list(
        page.revisions.order_by("number").values_list(
            "number", "author", "restored_from"
        )
    )
    assert history == [
        (1, world.admin.pk, None),
        (2, world.pupil.pk, None),
        (3, world.teacher.pk, 1),
    ]


def test_page_cannot_be_placed_under_its_own_child():
    world = make_twinspace()
    parent = services.create_page(
        world.twinspace, title="A", source="", actor=world.admin
    )
    child = services.create_page(
        world.twinspace, title="B", source="", parent=parent, actor=world.admin
    )
    with pytest.raises(ValidationError):
        services.edit_page(
            parent, title="A", source="", parent=child, actor=world.admin
        )


def test_page_refuses_a_video_field_that_is_not_youtube_or_vimeo(client):
    world = make_twinspace()
    client.force_login(world.admin)
    response = client.post(
        reverse("twinspace:page_new", args=[world.twinspace.pk]),
        {
            "title": "Song",
            "source": "Words I typed",
            "video_url": "https://evil.example/v",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "not a YouTube or Vimeo video" in content
    assert "Words I typed" in content  # nothing typed is lost


# --- R14: forum -----------------------------------------------------------------------------


def test_teacher_hides_a_pupils_post_and_pupils_no_longer_read_it(client):
    world = make_twinspace()
    thread = services.start_thread(
        world.twinspace, title="Hi", body="Hello partners", actor=world.pupil
    )
    post = services.reply(thread, body="Something rude", actor=world.pupil)
    thread.refresh_from_db()
    assert thread.post_count == 2
    client.force_login(world.teacher)
    client.post(
        reverse("twinspace:post_hide", args=[world.twinspace.pk, post.pk]),
        {"hidden": "1"},
    )
    post.refresh_from_db()
    assert post.is_hidden
    assert post.hidden_by == world.teacher
    client.force_login(world.pupil)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Something rude" not in page
    assert "was hidden by" in page


# --- R15: NSO read access -------------------------------------------------------------------


def test_two_applications_of_one_country_keep_access_until_both_are_decided(client):
    world = make_twinspace(country_a="RO", country_b="IT")
    evaluator = make_evaluator("RO")
    url = reverse("twinspace:home", args=[world.twinspace.pk])
    client.force_login(evaluator)
    assert client.get(url).status_code == 403
    services.grant_evaluation_access(world.project, country="RO", reason="NQL #1")
    services.grant_evaluation_access(world.project, country="RO", reason="NQL #2")
    assert client.get(url).status_code == 200
    services.end_evaluation_access(world.project, country="RO")
    assert client.get(url).status_code == 200
    services.end_evaluation_access(world.project, country="RO")
    assert client.get(url).status_code == 403


def test_evaluator_reads_but_cannot_change(client):
    world = make_twinspace()
    evaluator = make_evaluator("RO")
    services.grant_evaluation_access(world.project, country="RO", reason="NQL")
    client.force_login(evaluator)
    home = client.get(reverse("twinspace:home", args=[world.twinspace.pk]))
    assert "Quality Label application" in home.content.decode()
    response = client.post(
        reverse("twinspace:forum", args=[world.twinspace.pk]),
        {"title": "x", "body": "y"},
    )
    assert response.status_code == 403


def test_non_staff_user_with_evaluator_countries_gets_no_access(client):
    world = make_twinspace()
    not_staff = make_teacher()
    from accounts.models import Country

    not_staff.evaluator_countries.add(Country.objects.get(code="RO"))
    services.grant_evaluation_access(world.project, country="RO", reason="NQL")
    client.force_login(not_staff)
    assert (
        client.get(reverse("twinspace:home", args=[world.twinspace.pk])).status_code
        == 403
    )


# --- panels and activity --------------------------------------------------------------------


def test_project_page_panel_links_members_and_shows_cover_to_others(rf):
    from django.contrib.auth.models import AnonymousUser

    from twinspace.panels import project_twinspace_panel

    world = make_twinspace()
    request = rf.get("/")
    request.user = world.teacher
    _template, ctx = project_twinspace_panel(request, world.project)
    assert ctx["can_view"] is True
    request.user = AnonymousUser()
    _template, ctx = project_twinspace_panel(request, world.project)
    assert ctx["can_view"] is False
    TwinSpace.objects.filter(pk=world.twinspace.pk).update(cover_hidden=True)
    assert project_twinspace_panel(request, world.project) is None


def test_activity_stream_says_who_added_what(client):
    world = make_twinspace()
    services.create_page(
        world.twinspace, title="Our towns", source="", actor=world.pupil
    )
    services.start_thread(
        world.twinspace, title="Hello", body="Hi", actor=world.teacher
    )
    client.force_login(world.visitor)
    content = client.get(
        reverse("twinspace:home", args=[world.twinspace.pk])
    ).content.decode()
    assert "created the page" in content
    assert "Our towns" in content
    assert "started the discussion" in content
    assert world.pupil.display_name in content


def test_twinspace_speaks_romanian(client):
    world = make_twinspace()
    client.force_login(world.admin)
    response = client.get(
        reverse("twinspace:home", args=[world.twinspace.pk]), HTTP_ACCEPT_LANGUAGE="ro"
    )
    content = response.content.decode()
    assert "Activitate recentă" in content
    assert "Creează conturi de elevi" in content
    assert "Profesor administrator" in content


def test_moving_a_page_under_its_child_is_refused_on_the_form(client):
    world = make_twinspace()
    parent = services.create_page(
        world.twinspace, title="A", source="", actor=world.admin
    )
    child = services.create_page(
        world.twinspace, title="B", source="", parent=parent, actor=world.admin
    )
    client.force_login(world.teacher)
    response = client.post(
        reverse("twinspace:page_edit", args=[world.twinspace.pk, parent.pk]),
        {"title": "A", "source": "kept text", "video_url": "", "parent": child.pk},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "cannot be placed under itself" in content
    assert "kept text" in content


def test_inviting_a_teacher_with_a_broken_id_is_not_found(client):
    world = make_twinspace()
    client.force_login(world.admin)
    response = client.post(
        reverse("twinspace:member_add_teacher", args=[world.twinspace.pk]),
        {"teacher": "x'; drop"},
    )
    assert response.status_code == 404
