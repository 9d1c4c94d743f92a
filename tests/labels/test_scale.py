"""The scale generator and the benchmark keep working (issue 9): a tiny world in CI.

The full-scale figures live in BENCHMARKS.md; these tests prove the tools, not the speed.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from tests.markers import IS_POSTGRES, requires_postgres

TINY = 0.001  # 295 schools, ~1,200 teachers, 160 projects


@pytest.mark.skipif(IS_POSTGRES, reason="checks the refusal on SQLite")
@pytest.mark.django_db
def test_generate_scale_refuses_sqlite(tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_scale", scale=TINY, out=str(tmp_path))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_generated_world_is_proportional_and_stage_one_selects_the_label_ready_schools(
    tmp_path,
):
    from accounts.enums import HeadStatus, MembershipStatus
    from accounts.models import School, SchoolMembership, User
    from labels.models import PDParticipation, QualityLabelApplication
    from labels.scale import REAL
    from projects.models import PartnerSearchEntry, Project, ProjectMember

    call_command("generate_scale", scale=TINY, out=str(tmp_path))
    report = json.loads(next(tmp_path.glob("generate-*.json")).read_text())

    # Row counts follow the scale: exact for schools and projects, close for the rest.
    assert School.objects.count() == round(REAL["schools"] * TINY)
    assert Project.objects.count() == round(REAL["projects"] * TINY)
    teachers = User.objects.filter(username__startswith="scale-").count()
    assert abs(teachers - REAL["teachers"] * TINY) < 0.15 * REAL["teachers"] * TINY
    members = ProjectMember.objects.count()
    assert (
        abs(members - REAL["project_members"] * TINY)
        < 0.2 * REAL["project_members"] * TINY
    )
    assert QualityLabelApplication.objects.count() == round(REAL["nqls"] * TINY)
    assert PDParticipation.objects.count() > 0.5 * REAL["pd_participations"] * TINY
    # Every teacher has a validated membership and a search row; every school a head.
    assert (
        SchoolMembership.objects.filter(status=MembershipStatus.VALIDATED).count()
        == teachers
    )
    assert PartnerSearchEntry.objects.count() == teachers
    assert (
        SchoolMembership.objects.filter(head_status=HeadStatus.CONFIRMED).count() == 295
    )
    # Registrations spread over (about) twenty years; the largest countries weigh most.
    span = School.objects.aggregate(a=Min("registered_at"), b=Max("registered_at"))
    assert (span["b"] - span["a"]).days > 15 * 365
    biggest = (
        School.objects.values("country__code").annotate(n=Count("id")).order_by("-n")[0]
    )
    assert biggest["country__code"] == "TR"

    # A second run without --reset is refused; with --reset it builds the same world.
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_scale", scale=TINY, out=str(tmp_path))
    call_command("generate_scale", scale=TINY, reset=True, out=str(tmp_path))
    assert School.objects.count() == round(REAL["schools"] * TINY)

    # The benchmark (quick mode: real gunicorn, real load process, short runs).
    markdown = tmp_path / "BENCHMARKS.md"
    call_command(
        "bench",
        label="ci",
        quick=True,
        clients="1,2",
        out=str(tmp_path),
        markdown=str(markdown),
    )
    result = json.loads((tmp_path / "bench-ci.json").read_text())
    stage_one = result["stage_one"]
    # Stage one selects exactly the schools the generator made label-ready, and invites
    # every one of their teachers; the per-school loop agrees on its sample.
    assert stage_one["selected_schools"] == report["expected_selected_schools"] > 0
    assert stage_one["invited_teachers"] == report["expected_invited_teachers"]
    assert result["stage_one_loop"]["agrees_with_setwise"] is True
    assert result["stage_one_loop"]["extrapolated_s"] > 0
    pages = {"partner_search", "school", "project", "dashboard", "evaluator_admin"}
    assert set(result["queries"]) == pages
    for page in pages:
        assert result["queries"][page]["statuses"] == {
            "200": sum(result["queries"][page]["statuses"].values())
        }, page
    assert set(result["load"]) == pages
    for page, by_clients in result["load"].items():
        assert set(by_clients) == {"1", "2"}
        assert all(run["requests"] > 0 for run in by_clients.values()), page
        assert all(set(run["statuses"]) == {"200"} for run in by_clients.values()), page
    assert "ratio loop / set-wise" in markdown.read_text()
