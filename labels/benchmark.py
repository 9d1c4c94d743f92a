"""What `manage.py bench` measures on a generated world (issue 9).

1. Stage one of the School Label (R28, R29) through `select_stage_one`, set-wise, and the
   same selection done the obvious way (a loop over schools with per-school queries and a
   per-school save) on a random sample, extrapolated to every school: the ratio.
2. The main pages under load: gunicorn with several workers, a separate load process
   (bench/loadgen.py) with 1 and 8 clients: requests/s, p50, p95.
3. Queries per request of each page (Django's test client with CaptureQueriesContext).

Results go to bench/results/bench-<label>.json; `render_markdown` turns every result file
into the tables of BENCHMARKS.md.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from labels import scale

BASE_DIR = Path(settings.BASE_DIR)
LOADGEN = BASE_DIR / "bench" / "loadgen.py"
BENCH_CAMPAIGN = "bench-2025"
LOOP_CAMPAIGN = "bench-loop"
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PAGES = ["partner_search", "school", "project", "dashboard", "evaluator_admin"]

Log = Callable[[str], None]


# --- 1. Stage one -----------------------------------------------------------------------


def _campaign(name: str):
    from labels.models import SchoolLabelCampaign

    SchoolLabelCampaign.objects.filter(name=name).delete()
    return SchoolLabelCampaign.objects.create(
        name=name,
        announced_on=datetime.date(2024, 12, 1),
        opens_on=scale.CAMPAIGN_OPENS,
        deadline=datetime.date(2025, 4, 30),
        evaluation_ends_on=datetime.date(2025, 6, 30),
        registered_before=scale.REGISTERED_BEFORE,
        teachers_involved_since=scale.INVOLVED_SINCE,
        nql_from=scale.NQL_FROM,
        nql_until=scale.NQL_UNTIL,
    )


def bench_stage_one_setwise(log: Log) -> dict:
    """`select_stage_one` for a fresh campaign; the selection and invitation phases are
    timed apart from the mailing (one e-mail per invitation, sent by the same call)."""
    from labels.models import SchoolEligibility, SchoolLabelInvitation
    from labels.services.school import select_stage_one

    campaign = _campaign(BENCH_CAMPAIGN)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        from django.core import mail

        mail.outbox = []
        result = select_stage_one(
            campaign, progress=lambda msg: marks.append((msg, time.perf_counter()))
        )
        mails = len(mail.outbox)
        mail.outbox = []
    total = time.perf_counter() - started
    mailing_started = next((t for msg, t in marks if "ail" in msg), started + total)
    selection = mailing_started - started
    selected = SchoolEligibility.objects.filter(
        campaign=campaign, selected=True
    ).count()
    invited = SchoolLabelInvitation.objects.filter(campaign=campaign).count()
    log(
        f"  stage one: {selected:,} schools selected, {invited:,} teachers invited in "
        f"{selection:.2f} s (+ {total - selection:.1f} s mailing {mails:,} e-mails)"
    )
    return {
        "selection_and_invitations_s": round(selection, 3),
        "mailing_s": round(total - selection, 2),
        "total_s": round(total, 2),
        "selected_schools": selected,
        "invited_teachers": invited,
        "mails": mails,
        "result": str(getattr(result, "summary", lambda: result)()),
        "phases": [(msg, round(t - started, 3)) for msg, t in marks],
    }


def per_school_loop(campaign, schools: list) -> set[int]:
    """R28 + R29 the obvious way: per school, count its involved teachers, count its
    European NQL projects, save its figures, invite its teachers one by one."""
    from accounts.enums import TEACHING_ROLES, MembershipStatus
    from accounts.models import SchoolMembership
    from labels.enums import NQLStatus
    from labels.models import (
        PDParticipation,
        QualityLabelApplication,
        SchoolEligibility,
        SchoolLabelInvitation,
    )
    from labels.models.school import (
        MIN_ACTIVE_TEACHERS,
        MIN_NQL_PROJECTS,
        local_midnight,
    )
    from projects.enums import ProjectKind
    from projects.models import ProjectMember

    since_dt = local_midnight(campaign.teachers_involved_since)
    registered_limit = local_midnight(
        campaign.registered_before + datetime.timedelta(days=1)
    )
    nql_from = local_midnight(campaign.nql_from)
    nql_until = local_midnight(campaign.nql_until + datetime.timedelta(days=1))
    involved = Exists(
        ProjectMember.objects.filter(
            teacher=OuterRef("teacher"), joined_at__gte=since_dt
        )
    ) | Exists(
        PDParticipation.objects.filter(
            teacher=OuterRef("teacher"),
            participated_on__gte=campaign.teachers_involved_since,
        )
    )
    selected: set[int] = set()
    for school in schools:
        members = SchoolMembership.objects.filter(
            school=school,
            status=MembershipStatus.VALIDATED,
            teacher__profile__role__in=TEACHING_ROLES,
        )
        active = members.filter(involved).values("teacher").distinct().count()
        awarded = QualityLabelApplication.objects.filter(
            status=NQLStatus.AWARDED,
            decided_at__gte=nql_from,
            decided_at__lt=nql_until,
            project__kind=ProjectKind.EUROPEAN,
        )
        # Projects the school took part in, and projects whose NQL was granted through it.
        nql = len(
            set(
                awarded.filter(project__members__school=school).values_list(
                    "project_id", flat=True
                )
            )
            | set(awarded.filter(school=school).values_list("project_id", flat=True))
        )
        in_time = school.registered_at < registered_limit
        is_selected = (
            in_time and active >= MIN_ACTIVE_TEACHERS and nql >= MIN_NQL_PROJECTS
        )
        if nql < MIN_NQL_PROJECTS:
            continue  # like the set-wise run, only a school that can be selected is stored
        SchoolEligibility.objects.update_or_create(
            campaign=campaign,
            school=school,
            defaults={
                "registered_at": school.registered_at,
                "registered_in_time": in_time,
                "active_teachers": active,
                "nql_projects": nql,
                "selected": is_selected,
                "computed_at": datetime.datetime.now(datetime.UTC),
            },
        )
        if is_selected:
            selected.add(school.pk)
            for teacher_id in members.values_list("teacher_id", flat=True):
                SchoolLabelInvitation.objects.get_or_create(
                    campaign=campaign, teacher_id=teacher_id, school=school
                )
    return selected


def bench_stage_one_loop(sample_size: int, setwise_s: float, log: Log) -> dict:
    """Run the loop on a random sample inside a transaction that is rolled back, check it
    agrees with the set-wise selection on that sample, extrapolate to every school."""
    from accounts.models import School
    from labels.models import SchoolEligibility, SchoolLabelCampaign

    total_schools = School.objects.count()
    ids = list(School.objects.values_list("pk", flat=True))
    rng = random.Random(42)  # noqa: S311 (a reproducible sample, not a secret)
    sample_ids = rng.sample(ids, min(sample_size, len(ids)))
    with transaction.atomic():
        campaign = _campaign(LOOP_CAMPAIGN)
        schools = list(School.objects.filter(pk__in=sample_ids))
        started = time.perf_counter()
        selected = per_school_loop(campaign, schools)
        took = time.perf_counter() - started
        transaction.set_rollback(True)
    bench = SchoolLabelCampaign.objects.filter(name=BENCH_CAMPAIGN).first()
    setwise_selected = set(
        SchoolEligibility.objects.filter(
            campaign=bench, selected=True, school_id__in=sample_ids
        ).values_list("school_id", flat=True)
    )
    extrapolated = took * total_schools / max(1, len(schools))
    ratio = extrapolated / setwise_s if setwise_s else 0.0
    log(
        f"  per-school loop: {len(schools):,} schools in {took:.1f} s -> "
        f"{extrapolated / 60:.1f} min for {total_schools:,} schools ({ratio:.0f}x slower); "
        f"agrees with set-wise on the sample: {selected == setwise_selected}"
    )
    return {
        "sample_schools": len(schools),
        "sample_s": round(took, 2),
        "sample_selected": len(selected),
        "agrees_with_setwise": selected == setwise_selected,
        "extrapolated_s": round(extrapolated, 1),
        "ratio": round(ratio, 1),
    }


# --- pages ------------------------------------------------------------------------------


def _bench_users() -> dict[str, Any]:
    """A teacher with many projects (the dashboard's worst case) and an NSO evaluator of
    the largest country (the admin list's worst case)."""
    from accounts.models import Country, User
    from accounts.services import ensure_evaluator_group
    from labels.models import QualityLabelApplication
    from projects.models import ProjectMember

    top = (
        ProjectMember.objects.values("teacher")
        .annotate(n=Count("id"))
        .order_by("-n", "teacher")
        .first()
    )
    teacher = User.objects.get(pk=top["teacher"])
    busiest = (
        QualityLabelApplication.objects.values("school__country")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    country = Country.objects.get(pk=busiest["school__country"])
    evaluator, _created = User.objects.get_or_create(
        username="bench-evaluator",
        defaults={"email": "bench-evaluator@scale.etwinning.test", "is_staff": True},
    )
    evaluator.is_staff = True
    evaluator.save(update_fields=["is_staff"])
    evaluator.evaluator_countries.set([country])
    evaluator.groups.add(ensure_evaluator_group())
    return {
        "teacher": teacher,
        "teacher_projects": top["n"],
        "evaluator": evaluator,
        "country": country,
    }


def page_urls(users: dict[str, Any], per_page: int = 40) -> dict[str, list[str]]:
    """URLs of each page, varied so the load does not hit one cached row."""
    from django.urls import reverse

    from accounts.models import Country, School
    from projects.enums import ProjectStatus
    from projects.models import Project

    rng = random.Random(7)  # noqa: S311 (a reproducible sample, not a secret)
    countries = list(Country.objects.values_list("pk", flat=True))
    search = reverse("projects:search")
    subjects = ["mathematics", "history", "science", "foreign_languages", "art"]
    languages = ["fr", "de", "es", "it", "ro"]
    ages = ["7-11", "12-15", "16-19"]
    searches = []
    for i in range(per_page):
        c = rng.choice(countries)
        kind = i % 5
        if kind == 0:
            searches.append(f"{search}?country={c}&subject={rng.choice(subjects)}")
        elif kind == 1:
            searches.append(
                f"{search}?language={rng.choice(languages)}&age_group={rng.choice(ages)}"
            )
        elif kind == 2:
            searches.append(
                f"{search}?country={c}&subject={rng.choice(subjects)}&language=en&q=maria"
            )
        elif kind == 3:
            searches.append(f"{search}?q={rng.choice(['ana', 'town 12', 'popescu'])}")
        else:
            searches.append(f"{search}?country={c}&page=3")
    # Schools: the largest ones (most teachers) and random ones.
    school_ids = list(
        School.objects.annotate(n=Count("memberships"))
        .order_by("-n")
        .values_list("pk", flat=True)[: per_page // 2]
    )
    max_school = School.objects.order_by("-pk").values_list("pk", flat=True).first()
    school_ids += [rng.randint(1, max_school) for _ in range(per_page // 2)]
    schools = list(
        School.objects.filter(pk__in=school_ids).values_list("pk", flat=True)
    )
    max_project = Project.objects.order_by("-pk").values_list("pk", flat=True).first()
    projects = list(
        Project.objects.filter(
            pk__in=[rng.randint(1, max_project) for _ in range(per_page * 3)],
            status__in=[ProjectStatus.ACTIVE, ProjectStatus.CLOSED],
        ).values_list("pk", flat=True)[:per_page]
    )
    admin_list = reverse("admin:labels_qualitylabelapplication_changelist")
    return {
        "partner_search": searches,
        "school": [reverse("accounts:school", args=[pk]) for pk in schools],
        "project": [reverse("projects:detail", args=[pk]) for pk in projects],
        "dashboard": [reverse("dashboard")],
        "evaluator_admin": [
            admin_list,
            f"{admin_list}?status=awarded",
            f"{admin_list}?p=2",
            f"{admin_list}?q=town",
        ],
    }


def _viewer(page: str) -> str:
    return "evaluator" if page == "evaluator_admin" else "teacher"


def bench_queries(users: dict, urls: dict[str, list[str]], log: Log) -> dict:
    """Queries per request of every page (the most over its URLs), and the statuses."""
    results = {}
    with override_settings(STORAGES=PLAIN_STATIC, DEBUG=False):
        clients = {}
        for role in ("teacher", "evaluator"):
            clients[role] = Client()
            clients[role].force_login(users[role])
        for page in PAGES:
            counts, statuses = [], {}
            for url in urls[page][:8]:
                client = clients[_viewer(page)]
                client.get(url)  # warm caches (permissions, content types)
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url)
                counts.append(len(ctx.captured_queries))
                statuses[str(response.status_code)] = (
                    statuses.get(str(response.status_code), 0) + 1
                )
            results[page] = {
                "max": max(counts),
                "min": min(counts),
                "statuses": statuses,
            }
            log(
                f"  queries {page:<16} {min(counts)}-{max(counts)}  statuses {statuses}"
            )
    return results


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = s["HOST"] or "127.0.0.1"
    port = s["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port}")


def _prime(port: int, cookies: dict, urls: dict, per_page: int) -> None:
    """A few requests per page before measuring: every worker connects to PostgreSQL and
    compiles its templates outside the measured window."""
    import http.client

    for page in PAGES:
        for url in urls[page][:per_page]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", url, headers={"Cookie": cookies[_viewer(page)]})
            conn.getresponse().read()
            conn.close()


def bench_load(
    users: dict,
    urls: dict[str, list[str]],
    *,
    clients: list[int],
    duration: float,
    workers: int,
    port: int,
    log: Log,
    cache_url: str = "",
) -> dict:
    """gunicorn (sync workers) on this database; bench/loadgen.py in its own process.

    `cache_url`: the Redis cache the workers share, as in production (docker-compose.yml);
    empty gives each worker its own local-memory cache."""
    port = port or free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "CACHE_URL"},
        **({"CACHE_URL": cache_url} if cache_url else {}),
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "etwinning.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # Import Django once before forking: no worker pays for it during the load.
            "--preload",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    cookies = {role: _session_cookie(users[role]) for role in ("teacher", "evaluator")}
    results: dict[str, dict] = {}
    try:
        _wait_for(port)
        time.sleep(1.0)
        _prime(port, cookies, urls, per_page=2 * workers)
        with tempfile.TemporaryDirectory() as tmp:
            for page in PAGES:
                plan = Path(tmp) / f"{page}.json"
                plan.write_text(
                    json.dumps({"cookie": cookies[_viewer(page)], "urls": urls[page]})
                )
                results[page] = {}
                for n in clients:
                    out = subprocess.run(  # noqa: S603
                        [
                            sys.executable,
                            str(LOADGEN),
                            "--port",
                            str(port),
                            "--clients",
                            str(n),
                            "--duration",
                            str(duration),
                            "--warmup",
                            str(min(1.0, duration / 2)),
                            "--plan",
                            str(plan),
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    figures = json.loads(out.stdout)
                    results[page][str(n)] = figures
                    log(
                        f"  load {page:<16} {n} client(s): {figures['rps']:7.1f} req/s  "
                        f"p50 {figures['p50_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms  "
                        f"{figures['statuses']}"
                    )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    return results


# --- the whole run ----------------------------------------------------------------------


def world_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for m in scale.world_models():
            # Planner estimates after ANALYZE would do for the big ones; exact is cheap enough.
            cursor.execute(f"SELECT count(*) FROM {scale.table(m)}")  # noqa: S608
            counts[m._meta.label] = cursor.fetchone()[0]
    return counts


def run_bench(
    *,
    label: str,
    out_dir: Path,
    loop_sample: int,
    clients: list[int],
    duration: float,
    workers: int,
    port: int,
    skip_load: bool,
    log: Log,
    cache_url: str = "",
) -> dict:
    db = connection.settings_dict["NAME"]
    gen_file = out_dir / f"generate-{db}.json"
    generated = json.loads(gen_file.read_text()) if gen_file.exists() else {}
    result: dict[str, Any] = {
        "label": label,
        "database": db,
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["manage.py", *sys.argv[1:]]) if len(sys.argv) > 1 else "",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": connection.cursor().connection.server_version,
            "load_average_before": os.getloadavg(),
        },
        "scale": generated.get("size", {}).get("scale"),
        "generation_s": generated.get("seconds"),
        "expected_selected_schools": generated.get("expected_selected_schools"),
        "expected_invited_teachers": generated.get("expected_invited_teachers"),
        "counts": world_counts(),
    }
    log(f"Benchmark '{label}' on {db} (scale {result['scale']})")
    result["stage_one"] = bench_stage_one_setwise(log)
    result["stage_one_loop"] = bench_stage_one_loop(
        loop_sample, result["stage_one"]["selection_and_invitations_s"], log
    )
    users = _bench_users()
    urls = page_urls(users)
    result["viewer"] = {
        "teacher_projects": users["teacher_projects"],
        "evaluator_country": users["country"].code,
    }
    result["urls"] = {page: len(urls[page]) for page in PAGES}
    result["queries"] = bench_queries(users, urls, log)
    if not skip_load:
        result["load"] = bench_load(
            users,
            urls,
            clients=clients,
            duration=duration,
            workers=workers,
            port=port,
            log=log,
            cache_url=cache_url,
        )
        result["cache"] = "Redis (shared)" if cache_url else "local memory per worker"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"bench-{label}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


# --- BENCHMARKS.md ------------------------------------------------------------------------

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _fmt_counts(counts: dict[str, int]) -> str:
    short = {
        "accounts.School": "schools",
        "accounts.User": "users",
        "projects.Project": "projects",
        "projects.ProjectMember": "project members",
        "labels.QualityLabelApplication": "NQLs",
        "labels.PDParticipation": "PD participations",
        "projects.PartnerSearchEntry": "search rows",
    }
    return ", ".join(f"{counts[k]:,} {v}" for k, v in short.items() if k in counts)


def render_run(r: dict) -> str:
    s1, loop = r["stage_one"], r["stage_one_loop"]
    lines = [
        f"### {r['label']}: scale {r['scale']} on `{r['database']}` ({r['when']})",
        "",
        f"Data: {_fmt_counts(r['counts'])}. Generated in {r.get('generation_s')} s. "
        f"Command: `{r.get('command', '')}`. Load average of the machine before the run "
        f"(other work shares its 2 cores): "
        f"{', '.join(str(round(x, 1)) for x in r['machine'].get('load_average_before', []))}."
        + (f" Cache of the web workers: {r['cache']}." if r.get("cache") else ""),
        "",
        "| stage one (R28 + R29) | figure |",
        "|---|---|",
        f"| schools selected / expected by the generator | {s1['selected_schools']:,} / {r.get('expected_selected_schools') or 0:,} |",
        f"| teachers invited / expected | {s1['invited_teachers']:,} / {r.get('expected_invited_teachers') or 0:,} |",
        f"| set-wise selection + invitations (`select_stage_one`) | **{s1['selection_and_invitations_s']:.2f} s** |",
        f"| then mailing {s1['mails']:,} invitations (locmem backend, same call) | {s1['mailing_s']:.1f} s |",
        f"| per-school loop on {loop['sample_schools']:,} random schools | {loop['sample_s']:.1f} s (agrees with set-wise: {loop['agrees_with_setwise']}) |",
        f"| per-school loop extrapolated to every school | {loop['extrapolated_s'] / 60:.1f} min |",
        f"| **ratio loop / set-wise** | **{loop['ratio']:.0f}x** |",
        "",
    ]
    load = r.get("load", {})
    clients = sorted({int(n) for page in load.values() for n in page})
    head = "| page | queries/request |" + "".join(
        f" {n} client(s): req/s | p50 ms | p95 ms |" for n in clients
    )
    lines += [head, "|---|---|" + "---|---|---|" * len(clients)]
    for page in PAGES:
        q = r["queries"][page]
        row = (
            f"| {page} | {q['min']}-{q['max']} |"
            if q["min"] != q["max"]
            else f"| {page} | {q['max']} |"
        )
        for n in clients:
            f = load.get(page, {}).get(str(n))
            row += (
                f" {f['rps']} | {f['p50_ms']} | {f['p95_ms']} |"
                if f
                else " - | - | - |"
            )
        lines.append(row)
    lines.append("")
    return "\n".join(lines)


def render_markdown(results_dir: Path, target: Path) -> None:
    """Replace the generated part of BENCHMARKS.md with every bench-*.json, full scale first."""
    runs = [json.loads(p.read_text()) for p in sorted(results_dir.glob("bench-*.json"))]
    runs.sort(key=lambda r: (-(r.get("scale") or 0), r["when"]))
    body = "\n".join(render_run(r) for r in runs)
    block = f"{START}\n\n{body}\n{END}"
    text = (
        target.read_text() if target.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    )
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    target.write_text(text)
