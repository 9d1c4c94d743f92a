"""R13-R15 permission matrix: every TwinSpace URL against every kind of person.

Personas: anonymous; a validated teacher outside the project; a pupil of another TwinSpace;
this TwinSpace's pupil, visitor, teacher and teacher administrator; NSO evaluators of the
country under evaluation (RO) and of another (PL); a superuser of central support.
Expected outcomes: "ok" (200, or a redirect that is not to the sign-in page), "login"
(anonymous: sent to sign in), "denied" (403). Each case runs on a fresh database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories.accounts import make_evaluator, make_teacher
from tests.factories.projects import make_founded_project
from tests.factories.twinspace import jpeg_bytes, make_twinspace, upload
from twinspace import services
from twinspace.models import TwinSpaceMember

PERSONAS = [
    "anonymous",
    "outsider_teacher",
    "other_pupil",
    "pupil",
    "visitor",
    "teacher",
    "admin",
    "evaluator_right",
    "evaluator_wrong",
    "central_staff",
]

# Who may do what (besides anonymous, who is always sent to sign in unless the URL is public).
VIEWERS = {"pupil", "visitor", "teacher", "admin", "evaluator_right"}
CONTRIBUTORS = {"pupil", "teacher", "admin"}
TEACHERS = {"teacher", "admin"}
MODERATORS = {"teacher", "admin"}  # and pupil administrators
ADMINS = {"admin"}
# R13: the cover is public, but pupils reach nothing outside their own TwinSpaces.
COVER_READERS = set(PERSONAS) - {"other_pupil"}


@dataclass
class Case:
    name: str
    method: str
    allowed: set[str]
    public: bool = False  # anonymous may see it too


CASES = [
    Case("home", "GET", VIEWERS),
    Case("cover", "GET", COVER_READERS, public=True),
    Case("cover_edit", "GET", ADMINS),
    Case("cover_edit", "POST", ADMINS),
    Case("members", "GET", VIEWERS),
    Case("member_add_teacher", "POST", ADMINS),
    Case("member_add_visitor", "GET", ADMINS),
    Case("member_add_visitor", "POST", ADMINS),
    Case("member_role", "POST", ADMINS),
    Case("member_remove", "POST", ADMINS),
    Case("pupils_new", "GET", ADMINS),
    Case("pupils_new", "POST", ADMINS),
    Case("pupil_reset_password", "POST", TEACHERS),
    Case("pages", "GET", VIEWERS),
    Case("page_new", "GET", CONTRIBUTORS),
    Case("page_new", "POST", CONTRIBUTORS),
    Case("page", "GET", VIEWERS),
    Case("page_edit", "GET", CONTRIBUTORS),
    Case("page_edit", "POST", CONTRIBUTORS),
    Case("page_history", "GET", VIEWERS),
    Case("page_revision", "GET", VIEWERS),
    Case("page_restore", "POST", CONTRIBUTORS),
    Case("materials", "GET", VIEWERS),
    Case("materials", "POST", CONTRIBUTORS),
    Case("material_file", "GET", VIEWERS),
    Case("material_thumbnail", "GET", VIEWERS),
    Case("forum", "GET", VIEWERS),
    Case("forum", "POST", CONTRIBUTORS),
    Case("thread", "GET", VIEWERS),
    Case("thread", "POST", CONTRIBUTORS),
    Case("post_hide", "POST", MODERATORS),
]


@pytest.fixture
def world(db):
    w = make_twinspace(country_a="RO", country_b="IT")
    ts = w.twinspace
    page = services.create_page(ts, title="Plan", source="Our plan.", actor=w.admin)
    services.edit_page(page, title="Plan", source="Our plan, v2.", actor=w.admin)
    material = services.add_material(
        ts, upload("photo.jpg", jpeg_bytes()), title="Photo", actor=w.teacher
    )
    thread = services.start_thread(ts, title="Hello", body="Hi all", actor=w.pupil)
    post = thread.posts.get()
    # Another project's TwinSpace, with its own pupil.
    other = services.ensure_twinspace(
        make_founded_project(make_teacher(), make_teacher())
    )
    other_admin = other.members.filter(role="teacher_admin").first().user
    other_pupil_creds = services.create_pupils(other, "Ion Vasile", actor=other_admin)
    # R15: an evaluation of a Romanian application is under way.
    services.grant_evaluation_access(
        w.project, country="RO", reason="NQL application #1"
    )
    from accounts.models import User

    people = {
        "outsider_teacher": make_teacher(),
        "other_pupil": User.objects.get(username=other_pupil_creds[0].username),
        "pupil": w.pupil,
        "visitor": w.visitor,
        "teacher": w.teacher,
        "admin": w.admin,
        "evaluator_right": make_evaluator("RO"),
        "evaluator_wrong": make_evaluator("PL"),
        # Superusers get no silent way into a TwinSpace (it holds minors' work).
        "central_staff": make_teacher(is_staff=True, is_superuser=True),
    }
    # A partner who joined the project but left the TwinSpace: someone to invite back.
    partner = make_teacher()
    from projects.models import ProjectMember

    ProjectMember.objects.create(
        project=w.project, teacher=partner, school=partner.memberships.get().school
    )
    pupil_member = TwinSpaceMember.objects.get(twinspace=ts, user=w.pupil)
    teacher_member = TwinSpaceMember.objects.get(twinspace=ts, user=w.teacher)
    visitor_member = TwinSpaceMember.objects.get(twinspace=ts, user=w.visitor)
    pk = ts.pk
    requests = {
        ("home", "GET"): (reverse("twinspace:home", args=[pk]), None),
        ("cover", "GET"): (reverse("twinspace:cover", args=[pk]), None),
        ("cover_edit", "GET"): (reverse("twinspace:cover_edit", args=[pk]), None),
        ("cover_edit", "POST"): (
            reverse("twinspace:cover_edit", args=[pk]),
            {"description": "New words", "cover_hidden": ""},
        ),
        ("members", "GET"): (reverse("twinspace:members", args=[pk]), None),
        ("member_add_teacher", "POST"): (
            reverse("twinspace:member_add_teacher", args=[pk]),
            {"teacher": partner.pk},
        ),
        ("member_add_visitor", "GET"): (
            reverse("twinspace:member_add_visitor", args=[pk]),
            None,
        ),
        ("member_add_visitor", "POST"): (
            reverse("twinspace:member_add_visitor", args=[pk]),
            {"login": people["outsider_teacher"].username},
        ),
        ("member_role", "POST"): (
            reverse("twinspace:member_role", args=[pk, teacher_member.pk]),
            {},
        ),
        ("member_remove", "POST"): (
            reverse("twinspace:member_remove", args=[pk, visitor_member.pk]),
            {},
        ),
        ("pupils_new", "GET"): (reverse("twinspace:pupils_new", args=[pk]), None),
        ("pupils_new", "POST"): (
            reverse("twinspace:pupils_new", args=[pk]),
            {"names": "Elena Dobre"},
        ),
        ("pupil_reset_password", "POST"): (
            reverse("twinspace:pupil_reset_password", args=[pk, pupil_member.pk]),
            {},
        ),
        ("pages", "GET"): (reverse("twinspace:pages", args=[pk]), None),
        ("page_new", "GET"): (reverse("twinspace:page_new", args=[pk]), None),
        ("page_new", "POST"): (
            reverse("twinspace:page_new", args=[pk]),
            {"title": "New", "source": "Text", "video_url": "", "parent": ""},
        ),
        ("page", "GET"): (reverse("twinspace:page", args=[pk, page.pk]), None),
        ("page_edit", "GET"): (
            reverse("twinspace:page_edit", args=[pk, page.pk]),
            None,
        ),
        ("page_edit", "POST"): (
            reverse("twinspace:page_edit", args=[pk, page.pk]),
            {"title": "Plan", "source": "v3", "video_url": "", "parent": ""},
        ),
        ("page_history", "GET"): (
            reverse("twinspace:page_history", args=[pk, page.pk]),
            None,
        ),
        ("page_revision", "GET"): (
            reverse("twinspace:page_revision", args=[pk, page.pk, 1]),
            None,
        ),
        ("page_restore", "POST"): (
            reverse("twinspace:page_restore", args=[pk, page.pk, 1]),
            {},
        ),
        ("materials", "GET"): (reverse("twinspace:materials", args=[pk]), None),
        ("materials", "POST"): (
            reverse("twinspace:materials", args=[pk]),
            {"title": "Another", "file": upload("b.jpg", jpeg_bytes())},
        ),
        ("material_file", "GET"): (
            reverse("twinspace:material_file", args=[pk, material.pk]),
            None,
        ),
        ("material_thumbnail", "GET"): (
            reverse("twinspace:material_thumbnail", args=[pk, material.pk]),
            None,
        ),
        ("forum", "GET"): (reverse("twinspace:forum", args=[pk]), None),
        ("forum", "POST"): (
            reverse("twinspace:forum", args=[pk]),
            {"title": "Question", "body": "What next?"},
        ),
        ("thread", "GET"): (reverse("twinspace:thread", args=[pk, thread.pk]), None),
        ("thread", "POST"): (
            reverse("twinspace:thread", args=[pk, thread.pk]),
            {"body": "A reply"},
        ),
        ("post_hide", "POST"): (
            reverse("twinspace:post_hide", args=[pk, post.pk]),
            {"hidden": "1"},
        ),
    }
    return {"people": people, "requests": requests}


def _outcome(response) -> str:
    if response.status_code == 403:
        return "denied"
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if response.status_code in (200, 302):
        return "ok"
    return f"status {response.status_code}"


def test_every_url_is_in_the_matrix():
    from twinspace.urls import urlpatterns

    covered = {case.name for case in CASES} | {"index"}
    assert {p.name for p in urlpatterns} == covered


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}")
def test_permission_matrix(client, world, case):
    """One case per URL and method; every persona tries it inside a savepoint that is
    rolled back, so each starts from the same TwinSpace (and the suite stays fast)."""
    url, data = world["requests"][(case.name, case.method)]
    wrong = []
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            if persona != "anonymous":
                client.force_login(world["people"][persona])
            if case.method == "GET":
                response = client.get(url)
            else:
                payload = dict(data or {})
                for value in payload.values():
                    if hasattr(value, "seek"):
                        value.seek(0)
                response = client.post(url, payload)
            if persona == "anonymous":
                expected = "ok" if case.public else "login"
            else:
                expected = "ok" if persona in case.allowed else "denied"
            got = _outcome(response)
            if got != expected:
                wrong.append(f"{persona}: expected {expected}, got {got}")
            transaction.set_rollback(True)
    assert not wrong, f"{case.method} {url}: " + "; ".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_twinspace_index_lists_only_own_twinspaces(client, world, persona):
    response = (
        client.get(reverse("twinspace:index")) if persona == "anonymous" else None
    )
    if persona == "anonymous":
        assert _outcome(response) == "login"
        return
    user = world["people"][persona]
    client.force_login(user)
    response = client.get(reverse("twinspace:index"), follow=True)
    assert response.status_code == 200
    members = TwinSpaceMember.objects.filter(user=user)
    for membership in members:
        assert membership.twinspace.name.encode() in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_hidden_cover_is_for_viewers_only(client, world, persona):
    """R13: administrators hide the cover; then only members (and evaluators) see it."""
    url, _data = world["requests"][("cover", "GET")]
    from twinspace.models import TwinSpace

    TwinSpace.objects.update(cover_hidden=True)
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    response = client.get(url)
    if persona == "anonymous":
        assert _outcome(response) == "login"
    else:
        assert _outcome(response) == ("ok" if persona in VIEWERS else "denied")


def test_evaluator_access_ends_with_the_evaluation(client, world):
    """R15: when the evaluation is decided, the evaluator reads no more."""
    evaluator = world["people"]["evaluator_right"]
    url, _data = world["requests"][("home", "GET")]
    client.force_login(evaluator)
    assert client.get(url).status_code == 200
    from twinspace.models import TwinSpace

    project = TwinSpace.objects.get(pk=int(url.strip("/").split("/")[-1])).project
    assert services.end_evaluation_access(project, country="RO") is True
    assert client.get(url).status_code == 403
    assert services.end_evaluation_access(project, country="RO") is False


def test_pupil_is_confined_to_twinspace(client, world):
    """R13: a pupil reaches nothing outside their TwinSpaces."""
    client.force_login(world["people"]["pupil"])
    for path in ("/dashboard/", "/me/profile/", "/projects/", "/admin/", "/labels/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/pupil/"
