"""Query budgets: TwinSpace lists cost the same with 10 rows as with 200."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import UserKind
from accounts.models import User
from tests.factories.twinspace import make_twinspace
from twinspace.enums import MemberRole
from twinspace.models import (
    Activity,
    ForumPost,
    ForumThread,
    Material,
    Page,
    TwinSpaceMember,
)

pytestmark = pytest.mark.django_db


def _fill(world, n: int) -> ForumThread:
    ts = world.twinspace
    Material.objects.bulk_create(
        Material(
            twinspace=ts,
            kind="document",
            title=f"Worksheet {i}",
            file=f"twinspace/{ts.pk}/x{i}.pdf",
            original_name=f"w{i}.pdf",
            content_type="application/pdf",
            size=1000,
            uploaded_by=world.teacher if i % 2 else world.pupil,
        )
        for i in range(n)
    )
    pages = Page.objects.bulk_create(
        Page(twinspace=ts, title=f"Page {i}", created_by=world.admin) for i in range(n)
    )
    Page.objects.bulk_create(
        Page(twinspace=ts, title=f"Sub {i}", parent=pages[i % len(pages)])
        for i in range(n)
    )
    ForumThread.objects.bulk_create(
        ForumThread(twinspace=ts, title=f"Thread {i}", created_by=world.pupil)
        for i in range(n)
    )
    thread = ForumThread.objects.filter(twinspace=ts).first()
    ForumPost.objects.bulk_create(
        ForumPost(
            thread=thread,
            author=world.pupil if i % 2 else world.teacher,
            body=f"Post {i}",
            hidden_by=world.teacher if i % 7 == 0 else None,
        )
        for i in range(n)
    )
    Activity.objects.bulk_create(
        Activity(
            twinspace=ts, actor=world.pupil, verb="page_created", target_title=f"P{i}"
        )
        for i in range(n)
    )
    pupils = User.objects.bulk_create(
        User(
            username=f"bulk.pupil.{world.twinspace.pk}.{i}",
            first_name="P",
            kind=UserKind.PUPIL,
        )
        for i in range(n)
    )
    TwinSpaceMember.objects.bulk_create(
        TwinSpaceMember(twinspace=ts, user=p, role=MemberRole.PUPIL) for p in pupils
    )
    return thread


def _count(client, url: str, budget: int, django_assert_max_num_queries) -> int:
    with (
        django_assert_max_num_queries(budget),
        CaptureQueriesContext(connection) as ctx,
    ):
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Queries every TwinSpace page makes (5): 1 session, 2 user, 3 TwinSpace with its project,
# 4 the member's role (kept on the user for every later permission check), 5 the
# navigation's context processor: the user's school memberships.
# (Evaluators add one: is there an open evaluation access for their countries.)
BUDGETS = {
    # + pages count, materials count, threads count, members count, page tree (one query
    #   for the whole tree), the latest activities with their actors
    "home": 11,
    # + page tree
    "pages": 6,
    # + count for the pager, one page of materials with their uploaders
    "materials": 7,
    # + count for the pager, one page of threads with their authors
    "forum": 7,
    # + the thread, count for the pager, one page of posts with authors and hiders
    "thread": 8,
    # + members with their users, project teachers with schools (the invite list)
    "members": 7,
}


@pytest.mark.parametrize("view", sorted(BUDGETS))
def test_list_views_cost_the_same_for_10_and_200_rows(
    client, view, django_assert_max_num_queries
):
    counts = []
    for n in (10, 200):
        world = make_twinspace()
        thread = _fill(world, n)
        client.force_login(world.admin)
        args = [world.twinspace.pk] + ([thread.pk] if view == "thread" else [])
        url = reverse(f"twinspace:{view}", args=args)
        counts.append(_count(client, url, BUDGETS[view], django_assert_max_num_queries))
    assert counts[0] == counts[1], counts
