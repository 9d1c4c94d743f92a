# The SQL below is built from constants, model metadata and numbers: never from input.
# ruff: noqa: S608
"""A synthetic eTwinning of the real size, written set-wise into PostgreSQL (issue 9).

`manage.py generate_scale --scale F` calls `generate_world`. Every table is filled by one
INSERT ... SELECT over generate_series (the rows are computed inside PostgreSQL, foreign
keys checked), so 1.2 million teachers load in about a minute instead of hours of ORM
saves. Fields the generator does not name get the model's own default, so a field added
to a model later does not break the generator unless it is required and has no default.

The world is built so that the School Label's stage one (R28) for a campaign opening on
20 January 2025 (registered before 9 January 2023, three teachers involved since then, a
European project awarded the NQL between 9 November 2022 and 16 January 2025) selects about
as many schools and invites about as many teachers as the real 2021-22 round (5,198 schools,
39,346 teachers), and no more: about one school in 57 is "label-ready" (tier A); three
other tiers are near misses that fail exactly one condition (two teachers only, registered
too late, NQL before or after the window); the rest of the network is background activity
over twenty years whose National Quality Labels all fall outside the window.
"""

from __future__ import annotations

import datetime
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from accounts.countries import COUNTRIES
from accounts.enums import AgeGroup, Interest, SchoolLevel, Subject

# The real network (SPEC, Scale; PERF.md; R28's 2021-22 round).
REAL = {
    "schools": 295_000,
    "teachers": 1_200_000,
    "projects": 160_000,
    "project_members": 718_000,
    "nqls": 40_000,
    "pd_participations": 1_000_000,
    "selected_schools": 5_198,
    "invited_teachers": 39_346,
}

# The campaign the generator is calibrated for (R28, the 2025-26 round).
CAMPAIGN_OPENS = datetime.date(2025, 1, 20)
REGISTERED_BEFORE = datetime.date(2023, 1, 9)
INVOLVED_SINCE = datetime.date(2023, 1, 9)
NQL_FROM = datetime.date(2022, 11, 9)
NQL_UNTIL = datetime.date(2025, 1, 16)
# "Now" of the synthetic world: fixed, so two runs build the same world.
WORLD_NOW = datetime.date(2026, 11, 1)
WORLD_START = datetime.date(2006, 1, 1)

USERNAME_PREFIX = "scale"
SCHOOL_PREFIX = "eTwinning Scale School"

FIRST_NAMES = [
    "Ana", "Maria", "Elena", "Ioana", "Mihai", "Andrei", "Ayşe", "Mehmet", "Giulia",
    "Marco", "Lucía", "Javier", "Anna", "Piotr", "Sophie", "Lukas", "Eleni", "Nikos",
    "Inês", "João", "Emma", "Jonas", "Olena", "Taras", "Nino", "Giorgi",
]  # fmt: skip
LAST_NAMES = [
    "Popescu", "Ionescu", "Yılmaz", "Kaya", "Rossi", "Bianchi", "García", "Martínez",
    "Kowalska", "Nowak", "Dubois", "Müller", "Papadopoulou", "Silva", "Jansen",
    "Kovalenko", "Beridze", "Horvat", "Novák", "Virtanen", "Murphy", "Borg",
]  # fmt: skip
THEMES = [
    "Climate detectives", "Our shared heritage", "Code the city", "Voices of Europe",
    "Water for life", "Healthy minds", "Tales across borders", "Maths in the wild",
    "Young citizens", "Digital storytellers", "Green schools", "Music without borders",
]  # fmt: skip


@dataclass
class WorldSize:
    """Row targets for one scale factor."""

    scale: float
    schools: int
    teachers: int
    projects: int
    project_members: int
    nqls: int
    pd_participations: int
    tier_stride: int

    @classmethod
    def for_scale(cls, scale: float) -> WorldSize:
        def n(key: str, minimum: int) -> int:
            return max(minimum, round(REAL[key] * scale))

        schools = n("schools", 60)
        selected = max(2, round(REAL["selected_schools"] * scale))
        return cls(
            scale=scale,
            schools=schools,
            teachers=n("teachers", 250),
            projects=n("projects", 40),
            project_members=n("project_members", 180),
            nqls=n("nqls", 12),
            pd_participations=n("pd_participations", 200),
            # One school in `tier_stride` is label-ready; at 1.0: 295000/5198 -> 57.
            tier_stride=max(6, round(schools / selected)),
        )


@dataclass
class GenerationReport:
    size: dict
    seconds: float = 0.0
    steps: list[tuple[str, float, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    expected_selected_schools: int = 0
    expected_invited_teachers: int = 0
    campaign: dict = field(
        default_factory=lambda: {
            "opens": CAMPAIGN_OPENS.isoformat(),
            "registered_before": REGISTERED_BEFORE.isoformat(),
            "involved_since": INVOLVED_SINCE.isoformat(),
            "nql_from": NQL_FROM.isoformat(),
            "nql_until": NQL_UNTIL.isoformat(),
        }
    )

    def as_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)


# --- SQL helpers ------------------------------------------------------------------------


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[models.Model]) -> str:
    return _qn(model._meta.db_table)


def col(model: type[models.Model], field_name: str) -> str:
    return _qn(model._meta.get_field(field_name).column)


def insert_select(
    cursor,
    model: type[models.Model],
    values: dict[str, str],
    from_sql: str,
    *,
    params: tuple | list = (),
    suffix: str = "",
) -> int:
    """INSERT INTO <model> (...) SELECT <values> <from_sql> <suffix>; returns the row count.

    `values` maps field names to SQL expressions (no %s placeholders in them: write `mod()`
    rather than `%`). Every other concrete field gets the model's default, bound as a
    parameter; a nullable field without a default stays NULL; a required field without a
    default is reported by name so a new model field cannot be silently mis-filled.
    """
    columns: list[str] = []
    exprs: list[str] = []
    defaults: list[Any] = []
    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.name in values or f.attname in values:
            columns.append(_qn(f.column))
            exprs.append(values.get(f.name, values.get(f.attname)))
            continue
        if f.primary_key and isinstance(f, models.AutoField | models.BigAutoField):
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        else:
            default = f.get_default()
        if default is None:
            if f.null:
                continue
            raise ValueError(
                f"generate_scale: {model.__name__}.{f.name} is required and has no "
                "default; give it a value in labels/scale.py"
            )
        columns.append(_qn(f.column))
        exprs.append("%s")
        defaults.append(f.get_db_prep_save(default, connection))
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} {from_sql} {suffix}"
    )
    cursor.execute(sql, [*defaults, *params])
    return cursor.rowcount


def _ts(day: datetime.date) -> str:
    return f"timestamptz '{day.isoformat()} 09:00:00+00'"


def _between(
    start: datetime.date, end: datetime.date, fraction: str = "random()"
) -> str:
    """A timestamp uniformly between two days (fraction: an SQL expression in [0, 1))."""
    days = (end - start).days
    return f"({_ts(start)} + ({fraction}) * interval '{days} days')"


def _sql_array(items: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + i.replace("'", "''") + "'" for i in items) + "]"


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _field_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


# --- The world --------------------------------------------------------------------------


def world_models() -> list[type[models.Model]]:
    """The tables the generator fills (and `--reset` truncates), parents first."""
    labels = [
        "accounts.School",
        "accounts.User",
        "accounts.TeacherProfile",
        "accounts.SchoolMembership",
        "projects.Project",
        "projects.ProjectMember",
        "labels.QualityLabelApplication",
    ]
    found = [m for m in (_model(label) for label in labels) if m is not None]
    return found + [m for m in extra_world_models() if m not in found]


def extra_world_models() -> list[type[models.Model]]:
    """Models of the other apps the generator also fills when they exist."""
    result = []
    for label in (
        "labels.PDActivity",
        "labels.PDParticipation",
        "projects.PartnerSearchEntry",
    ):
        m = _model(label)
        if m is not None:
            result.append(m)
    return result


# Dropped index definitions are written down first, so that a run killed in the middle
# of a step gets them back at its next start (see restore_dropped_indexes).
_DROPPED = "scale_dropped_index"


def drop_secondary_indexes(cursor, model: type[models.Model]) -> list[str]:
    """Drop the indexes of a table that back no constraint; return their definitions.

    Unique and primary-key indexes stay (ON CONFLICT and the foreign keys need them).
    """
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
          AND NOT x.indisunique
        """,
        [model._meta.db_table],
    )
    found = cursor.fetchall()
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_DROPPED} (definition text PRIMARY KEY)"
    )
    for name, definition in found:
        cursor.execute(
            f"INSERT INTO {_DROPPED} VALUES (%s) ON CONFLICT DO NOTHING", [definition]
        )
        cursor.execute(f"DROP INDEX {_qn(name)}")
    return [definition for _name, definition in found]


def restore_dropped_indexes(cursor) -> int:
    """Recreate every index a generator run dropped and did not rebuild; returns how many."""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_DROPPED} (definition text PRIMARY KEY)"
    )
    cursor.execute(f"SELECT definition FROM {_DROPPED}")
    definitions = [row[0] for row in cursor.fetchall()]
    for definition in definitions:
        cursor.execute(
            definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
        )
    cursor.execute(f"DELETE FROM {_DROPPED}")
    return len(definitions)


def has_generated_data() -> bool:
    from accounts.models import User

    return User.objects.filter(username__startswith=USERNAME_PREFIX + "-").exists()


def reset_world(log: Callable[[str], None]) -> None:
    """TRUNCATE every table of the synthetic world (CASCADE: and what points at them).

    Meant for the dedicated scale database: it empties users, schools and projects
    wholesale, demo data included; countries and settings stay.
    """
    tables = ", ".join(table(m) for m in world_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    log(f"  reset: truncated {len(world_models())} tables (cascade)")


LANGUAGE_POOL = ["en", "fr", "de", "es", "it", "ro", "pl", "tr", "el", "pt"]


def profile_items() -> dict[str, list[tuple[list[str], str]]]:
    """Each profile list as items (choices, 1-based SQL index over _scale_teacher t): the
    profiles and the partner-search rows are computed from the same expressions."""
    subjects = [v for v, _ in Subject.choices]
    ages = [v for v, _ in AgeGroup.choices]
    interests = [v for v, _ in Interest.choices]
    return {
        "subjects": [
            (subjects, f"1 + mod(t.idx, {len(subjects)})"),
            (subjects, f"1 + mod(t.idx / 3, {len(subjects)})"),
        ],
        "languages": [(["en"], "1"), (LANGUAGE_POOL, "1 + mod(t.idx / 5, 10)")],
        "age_groups": [(ages, f"1 + mod(t.school_idx, {len(ages)})")],
        "interests": [(interests, f"1 + mod(t.idx, {len(interests)})")],
    }


def profile_lists(code: Callable[[str], str] = str) -> dict[str, list[str]]:
    """SQL of every item of each profile list, the choice passed through `code`."""
    return {
        name: [
            f"({_sql_array([code(c) for c in choices])})[{index}]"
            for choices, index in items
        ]
        for name, items in profile_items().items()
    }


class WorldBuilder:
    """Builds the world step by step on Django's connection, timing every step."""

    def __init__(self, size: WorldSize, log: Callable[[str], None]) -> None:
        self.size = size
        self.log = log
        self.report = GenerationReport(size=asdict(size))

    # Each step returns the number of rows it wrote.
    def step(
        self,
        name: str,
        fn: Callable[[Any], int],
        bulk: tuple[str, ...] = (),
    ) -> int:
        """Run one step; the secondary indexes of the `bulk` models are dropped first and
        rebuilt after (one sort per index instead of 1.2 M incremental GIN/btree inserts)."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            saved = []
            for label in bulk:
                m = _model(label)
                if m is not None:
                    saved += drop_secondary_indexes(cursor, m)
            try:
                rows = fn(cursor)
            finally:
                if saved:
                    restore_dropped_indexes(cursor)
        took = time.perf_counter() - started
        self.report.steps.append((name, round(took, 2), rows))
        self.log(f"  {name:<34} {rows:>10,} rows  {took:7.1f} s")
        return rows

    def run(self) -> GenerationReport:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # Deterministic random(): the same scale builds the same world.
            cursor.execute("SELECT setseed(0.4242)")
            cursor.execute("SET work_mem = '256MB'")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET synchronous_commit = off")
            restored = restore_dropped_indexes(cursor)
            if restored:
                self.log(
                    f"  restored {restored} indexes an interrupted run had dropped"
                )
        self.step("plan schools", self.plan_schools)
        self.step("schools", self.insert_schools, ("accounts.School",))
        self.step("plan teachers", self.plan_teachers)
        self.step("users", self.insert_users, ("accounts.User",))
        self.step(
            "teacher profiles", self.insert_profiles, ("accounts.TeacherProfile",)
        )
        self.step(
            "school memberships",
            self.insert_memberships,
            ("accounts.SchoolMembership",),
        )
        self.step("plan projects", self.plan_projects)
        self.step("projects", self.insert_projects, ("projects.Project",))
        self.step(
            "project members",
            self.insert_project_members,
            ("projects.ProjectMember",),
        )
        self.step(
            "national quality labels",
            self.insert_nqls,
            ("labels.QualityLabelApplication",),
        )
        self.step(
            "professional development",
            self.insert_professional_development,
            ("labels.PDActivity", "labels.PDParticipation"),
        )
        self.step(
            "partner search", self.fill_partner_search, ("projects.PartnerSearchEntry",)
        )
        self.step("sequences + analyze", self.finish)
        self.report.seconds = round(time.perf_counter() - started, 1)
        self.count_rows()
        return self.report

    # --- schools ----------------------------------------------------------------------

    def plan_schools(self, cursor) -> int:
        """_scale_school: index, id, country, tier, registration date, number of teachers."""
        from accounts.models import Country, School

        s = self.size
        weights = {code: w for code, _name, _plus, w in COUNTRIES}
        countries = list(
            Country.objects.filter(code__in=weights)
            .order_by("code")
            .values_list("id", "code")
        )
        total = sum(weights[code] for _id, code in countries)
        ranges, cum = [], 0
        for cid, code in countries:
            lo = s.schools * cum // total
            cum += weights[code]
            hi = s.schools * cum // total
            if hi > lo:
                ranges.append(f"({cid}, {lo}, {hi})")
        cursor.execute("DROP TABLE IF EXISTS _scale_country")
        cursor.execute(
            "CREATE TEMP TABLE _scale_country (country_id bigint, lo int, hi int)"
        )
        cursor.execute("INSERT INTO _scale_country VALUES " + ", ".join(ranges))

        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table(School)}")
        base = cursor.fetchone()[0]
        m = s.tier_stride
        cursor.execute("DROP TABLE IF EXISTS _scale_school")
        cursor.execute(
            f"""
            CREATE TEMP TABLE _scale_school AS
            SELECT g AS idx, {base} + g + 1 AS id, c.country_id,
                   CASE mod(g, {m}) WHEN 0 THEN 'A'
                        WHEN 1 THEN CASE WHEN mod(g / {m}, 2) = 0 THEN 'B' ELSE 'Z' END
                        WHEN 2 THEN CASE WHEN mod(g / {m}, 2) = 0 THEN 'C' ELSE 'Z' END
                        WHEN 3 THEN CASE WHEN mod(g / {m}, 2) = 0 THEN 'D' ELSE 'Z' END
                        WHEN 4 THEN CASE WHEN mod(g / {m}, 2) = 0 THEN 'E' ELSE 'Z' END
                        ELSE 'Z' END AS tier,
                   random() AS r1, random() AS r2
            FROM generate_series(0, {s.schools - 1}) g
            JOIN _scale_country c ON g >= c.lo AND g < c.hi
            """
        )
        # Teachers: tier A averages 7.57 (39,346 / 5,198), B has two, C four to seven;
        # the others share the rest of the 1.2 M with a geometric-like spread (1, 2, ...).
        cursor.execute(
            f"""
            ALTER TABLE _scale_school ADD COLUMN registered timestamptz,
                                      ADD COLUMN nt int, ADD COLUMN first_t int;
            UPDATE _scale_school SET
              registered = CASE tier
                WHEN 'A' THEN {_between(WORLD_START, datetime.date(2020, 12, 31), "r1")}
                WHEN 'C' THEN {_between(datetime.date(2023, 2, 1), datetime.date(2023, 12, 1), "r1")}
                WHEN 'Z' THEN {_between(WORLD_START, WORLD_NOW, "r1")}
                ELSE {_between(WORLD_START, datetime.date(2021, 6, 30), "r1")} END,
              nt = CASE tier
                WHEN 'A' THEN 3 + mod(idx / {m}, 10) + CASE WHEN mod(idx / {m}, 15) = 0 THEN 1 ELSE 0 END
                WHEN 'B' THEN 2
                WHEN 'C' THEN 4 + mod(idx / {m}, 4) END
            """
        )
        cursor.execute(
            "SELECT coalesce(sum(nt), 0), count(*) FILTER (WHERE nt IS NULL) FROM _scale_school"
        )
        fixed, rest_schools = cursor.fetchone()
        mean = max(1.05, (s.teachers - fixed) / max(1, rest_schools))
        # 1 + floor(Exp(lam)) has mean 1 + 1 / (e^(1/lam) - 1).
        lam = 1 / math.log(1 + 1 / (mean - 1))
        cursor.execute(
            f"UPDATE _scale_school SET nt = 1 + floor(-ln(1 - r2) * {lam:.6f})::int "
            "WHERE nt IS NULL"
        )
        cursor.execute(
            """
            UPDATE _scale_school s SET first_t = x.first_t
            FROM (SELECT idx, (sum(nt) OVER (ORDER BY idx) - nt)::int AS first_t
                  FROM _scale_school) x
            WHERE x.idx = s.idx;
            CREATE UNIQUE INDEX ON _scale_school (idx);
            ANALYZE _scale_school;
            """
        )
        cursor.execute(
            "SELECT count(*) FILTER (WHERE tier = 'A'), "
            "coalesce(sum(nt) FILTER (WHERE tier = 'A'), 0) FROM _scale_school"
        )
        selected, invited = cursor.fetchone()
        self.report.expected_selected_schools = selected
        self.report.expected_invited_teachers = int(invited)
        return s.schools

    def insert_schools(self, cursor) -> int:
        from accounts.models import School

        levels = _sql_array([v for v, _label in SchoolLevel.choices])
        return insert_select(
            cursor,
            School,
            {
                "id": "s.id",
                "name": f"'{SCHOOL_PREFIX} ' || s.idx",
                "name_key": f"lower('{SCHOOL_PREFIX} ') || s.idx",
                "country": "s.country_id",
                "city": "'Town ' || mod(s.idx, 997)",
                "city_key": "'town ' || mod(s.idx, 997)",
                "level": f"({levels})[1 + mod(s.idx, 7)]",
                "registered_at": "s.registered",
            },
            "FROM _scale_school s",
        )

    # --- teachers ---------------------------------------------------------------------

    def plan_teachers(self, cursor) -> int:
        """_scale_teacher: one row per teacher, laid out school after school."""
        from accounts.models import User

        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table(User)}")
        base = cursor.fetchone()[0]
        cursor.execute("DROP TABLE IF EXISTS _scale_teacher")
        # A school's first teacher registered it; colleagues follow, most of them in the
        # first years. Tier A teachers all joined before the campaign (they are invited).
        cursor.execute(
            f"""
            CREATE TEMP TABLE _scale_teacher AS
            SELECT t AS idx, {base} + t + 1 AS id, s.idx AS school_idx, s.id AS school_id,
                   s.country_id, s.tier, t - s.first_t AS ordinal,
                   s.registered + CASE WHEN t = s.first_t THEN 0 ELSE power(random(), 3) END * (
                     CASE WHEN s.tier = 'A' THEN {_ts(datetime.date(2022, 12, 1))}
                          ELSE {_ts(WORLD_NOW)} END - s.registered) AS joined
            FROM _scale_school s,
                 generate_series(s.first_t, s.first_t + s.nt - 1) t;
            CREATE UNIQUE INDEX ON _scale_teacher (idx);
            ANALYZE _scale_teacher;
            """
        )
        cursor.execute("SELECT count(*) FROM _scale_teacher")
        return cursor.fetchone()[0]

    def insert_users(self, cursor) -> int:
        from accounts.enums import UserKind
        from accounts.models import User

        firsts, lasts = _sql_array(FIRST_NAMES), _sql_array(LAST_NAMES)
        values = {
            "id": "t.id",
            "username": f"'{USERNAME_PREFIX}-' || t.idx",
            "email": f"'{USERNAME_PREFIX}-' || t.idx || '@scale.etwinning.test'",
            # An unusable password: nobody signs in as a synthetic teacher.
            "password": "'!scale'",
            "first_name": f"({firsts})[1 + mod(t.idx, {len(FIRST_NAMES)})]",
            "last_name": f"({lasts})[1 + mod(t.idx / 7, {len(LAST_NAMES)})]",
            "is_active": "true",
            "date_joined": "t.joined",
            "kind": f"'{UserKind.MEMBER.value}'",
        }
        return insert_select(cursor, User, values, "FROM _scale_teacher t")

    def insert_profiles(self, cursor) -> int:
        from accounts.enums import Role
        from accounts.models import TeacherProfile

        lists = profile_lists()
        values = {
            "user": "t.id",
            "role": f"CASE WHEN t.ordinal = 0 THEN '{Role.HEAD.value}' ELSE '{Role.TEACHER.value}' END",
            **{
                name: f"jsonb_build_array({', '.join(items)})"
                for name, items in lists.items()
            },
            "experience": "CASE mod(t.idx, 3) WHEN 0 THEN 'none' WHEN 1 THEN 'some' ELSE 'experienced' END",
            "step": "'done'",
            "created_at": "t.joined",
        }
        fields = _field_names(TeacherProfile)
        values = {k: v for k, v in values.items() if k in fields}
        return insert_select(cursor, TeacherProfile, values, "FROM _scale_teacher t")

    def insert_memberships(self, cursor) -> int:
        from accounts.enums import HeadStatus, MembershipStatus
        from accounts.models import SchoolMembership

        # Every school's first teacher is its confirmed head (tier A needs one for R33).
        values = {
            "teacher": "t.id",
            "school": "t.school_id",
            "is_main": "true",
            "status": f"'{MembershipStatus.VALIDATED.value}'",
            "head_status": f"CASE WHEN t.ordinal = 0 THEN '{HeadStatus.CONFIRMED.value}' ELSE '' END",
            "joined_at": "t.joined",
            "validated_at": "t.joined + interval '2 days'",
        }
        fields = _field_names(SchoolMembership)
        if "head_confirmed" in fields:
            values["head_confirmed"] = "CASE WHEN t.ordinal = 0 THEN NULL ELSE true END"
        return insert_select(cursor, SchoolMembership, values, "FROM _scale_teacher t")

    # --- projects ---------------------------------------------------------------------

    def plan_projects(self, cursor) -> int:
        """_scale_project: founders, kind, dates and partners of every project.

        kinds of rows: 'A' one European project per label-ready school with three of its
        teachers and a teacher of another label-ready school (NQL in the window);
        'B'..'E' the near misses; 'Z' background projects between random teachers.
        """
        from projects.models import Project

        s = self.size
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table(Project)}")
        base = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM _scale_teacher")
        n_teachers = cursor.fetchone()[0]
        cursor.execute("DROP TABLE IF EXISTS _scale_tier")
        # Tier schools numbered within their tier, to pair each with a far partner.
        cursor.execute(
            """
            CREATE TEMP TABLE _scale_tier AS
            SELECT tier, idx, id, first_t, nt,
                   (row_number() OVER (PARTITION BY tier ORDER BY idx) - 1)::int AS k,
                   count(*) OVER (PARTITION BY tier)::int AS n
            FROM _scale_school WHERE tier <> 'Z';
            CREATE INDEX ON _scale_tier (tier, k);
            """
        )
        # Label projects (tier A..E): founder = the school's first teacher; two more of
        # its teachers (as many as it has); a co-founder from the tier school half the
        # tier away (another country: the countries are laid out in ranges).
        cursor.execute("DROP TABLE IF EXISTS _scale_project")
        cursor.execute(
            f"""
            CREATE TEMP TABLE _scale_project AS
            SELECT a.tier, a.first_t AS t1, b.first_t AS t2,
                   LEAST(a.nt, 3) - 1 AS own_extra, a.first_t AS own_first,
                   CASE a.tier
                     WHEN 'D' THEN {_between(datetime.date(2021, 3, 1), datetime.date(2021, 9, 1))}
                     WHEN 'E' THEN {_between(datetime.date(2023, 11, 1), datetime.date(2024, 3, 1))}
                     ELSE {_between(datetime.date(2023, 1, 20), datetime.date(2023, 9, 1))} END
                     AS founded,
                   'european' AS kind, 0 AS n_extra
            FROM _scale_tier a
            JOIN _scale_tier b ON b.tier = a.tier AND b.k = mod(a.k + greatest(1, a.n / 2), a.n)
            WHERE a.n > 1
            """
        )
        cursor.execute(
            "SELECT count(*), coalesce(sum(own_extra + 2), 0) FROM _scale_project"
        )
        n_label, label_members = cursor.fetchone()
        n_bg = max(1, s.projects - n_label)
        # Background members: two founders and on average `extra` partners.
        extra = max(0.0, (s.project_members - label_members) / n_bg - 2)
        # Background projects: founding dates grow linearly over the twenty years (as the
        # network did); both founders had registered by then (a random teacher among those
        # registered; national projects take a colleague of a neighbouring school).
        start = WORLD_START + datetime.timedelta(days=30)
        cursor.execute(
            f"""
            DROP TABLE IF EXISTS _scale_rank;
            CREATE TEMP TABLE _scale_rank AS
            SELECT (row_number() OVER (ORDER BY joined, idx) - 1)::int AS r, idx, joined
            FROM _scale_teacher;
            CREATE UNIQUE INDEX ON _scale_rank (r);
            CREATE INDEX ON _scale_rank (joined);
            ANALYZE _scale_rank;
            INSERT INTO _scale_project (tier, t1, t2, own_extra, own_first, founded, kind, n_extra)
            SELECT 'Z', a.idx,
                   CASE WHEN x.national THEN mod(a.idx + 1 + floor(x.rn * 40)::int, {n_teachers})
                        ELSE b.idx END,
                   0, a.idx, x.founded, NULL, 0
            FROM (SELECT {_between(start, WORLD_NOW, "sqrt(random())")} AS founded,
                         random() < 0.3 AS national, random() AS ra, random() AS rb,
                         random() AS rn
                  FROM generate_series(1, {n_bg})) x
            CROSS JOIN LATERAL (
                SELECT r + 1 AS n FROM _scale_rank
                WHERE joined < x.founded ORDER BY joined DESC LIMIT 1) known
            JOIN _scale_rank a ON a.r = floor(x.ra * known.n)::int
            JOIN _scale_rank b ON b.r = floor(x.rb * known.n)::int
            """
        )
        cursor.execute(
            f"""
            ALTER TABLE _scale_project ADD COLUMN idx serial, ADD COLUMN id bigint;
            UPDATE _scale_project SET id = {base} + idx;
            UPDATE _scale_project p SET
              founded = GREATEST(p.founded, b.joined + interval '1 day'),
              kind = CASE WHEN a.country_id = b.country_id THEN 'national' ELSE 'european' END
            FROM _scale_teacher a, _scale_teacher b
            WHERE p.tier = 'Z' AND a.idx = p.t1 AND b.idx = p.t2;
            DELETE FROM _scale_project WHERE t1 = t2;
            CREATE UNIQUE INDEX ON _scale_project (idx);
            ANALYZE _scale_project;
            """
        )
        # Partners join within half a year of the founding and never before they registered:
        # draws that registered later are dropped, so draw more to keep ~718,000 members.
        cursor.execute(
            f"""
            SELECT avg((t.joined <= p.founded + interval '180 days')::int)
            FROM _scale_project p
            JOIN _scale_teacher t ON t.idx = mod(p.t1 * 31 + 7919, {n_teachers})
            WHERE p.tier = 'Z'
            """
        )
        accept = max(0.2, float(cursor.fetchone()[0] or 1))
        cursor.execute(
            f"UPDATE _scale_project SET n_extra = floor(random() * {2 * extra / accept + 1:.4f})::int "
            "WHERE tier = 'Z'"
        )
        cursor.execute("SELECT count(*) FROM _scale_project")
        return cursor.fetchone()[0]

    def insert_projects(self, cursor) -> int:
        from projects.enums import ProjectStatus
        from projects.models import Project

        themes = _sql_array(THEMES)
        subjects = _sql_array([v for v, _ in Subject.choices])
        closed_after = _ts(WORLD_NOW - datetime.timedelta(days=400))
        values = {
            "id": "p.id",
            "title": f"({themes})[1 + mod(p.idx, {len(THEMES)})] || ' ' || p.idx",
            "description": "'A synthetic project of the scale benchmark, number ' || p.idx || '.'",
            "subjects": f"jsonb_build_array(({subjects})[1 + mod(p.idx, {len(Subject)})])",
            "languages": "jsonb_build_array('en')",
            "age_min": "7 + mod(p.idx, 6)",
            "age_max": "11 + mod(p.idx, 6)",
            "kind": "p.kind",
            "status": f"CASE WHEN p.founded < {closed_after} THEN '{ProjectStatus.CLOSED.value}' ELSE '{ProjectStatus.ACTIVE.value}' END",
            "created_by": "a.id",
            "created_at": "p.founded - interval '10 days'",
            "founded_at": "p.founded",
            "closed_at": f"CASE WHEN p.founded < {closed_after} THEN p.founded + interval '300 days' END",
        }
        return insert_select(
            cursor,
            Project,
            values,
            "FROM _scale_project p JOIN _scale_teacher a ON a.idx = p.t1",
        )

    def insert_project_members(self, cursor) -> int:
        from projects.models import ProjectMember

        s = self.size
        cursor.execute("SELECT count(*) FROM _scale_teacher")
        n_teachers = cursor.fetchone()[0]
        # 1: founder, 2: co-founder, 3+: the founder school's own colleagues (label
        # projects) or partners (background: same-country neighbours for national
        # projects, anyone for European ones).
        slots = f"""
            FROM (
              SELECT p.id AS project_id, p.founded, 'founder' AS role, p.t1 AS t, 0 AS delay, true AS sure FROM _scale_project p
              UNION ALL
              SELECT p.id, p.founded, 'founder', p.t2, 0, true FROM _scale_project p
              UNION ALL
              SELECT p.id, p.founded, 'partner', p.own_first + g, 5 + g * 3, true
              FROM _scale_project p, generate_series(1, p.own_extra) g
              UNION ALL
              SELECT p.id, p.founded, 'partner',
                     CASE WHEN p.kind = 'national' THEN mod(p.t1 + 2 + g * 13, {n_teachers})
                          ELSE mod(p.t1 * 31 + g * 7919, {n_teachers}) END,
                     3 + g * 9, false
              FROM _scale_project p, generate_series(1, p.n_extra) g
            ) m
            JOIN _scale_teacher t ON t.idx = m.t
            WHERE m.sure OR t.joined <= m.founded + interval '180 days'
        """
        values = {
            "project": "m.project_id",
            "teacher": "t.id",
            "school": "t.school_id",
            "role": "m.role",
            # A partner never joins before registering, nor after the world's "now".
            "joined_at": f"LEAST(GREATEST(m.founded + m.delay * interval '1 day', t.joined), {_ts(WORLD_NOW)})",
        }
        del s
        return insert_select(
            cursor,
            ProjectMember,
            values,
            slots,
            suffix="ON CONFLICT DO NOTHING",
        )

    # --- labels -----------------------------------------------------------------------

    def insert_nqls(self, cursor) -> int:
        """National Quality Labels: one per label project (tiers A-E, decided in or just
        outside the R28 window) and background labels decided outside the window."""
        from labels.enums import NQLStatus
        from labels.models import QualityLabelApplication

        s = self.size
        answer = "'Synthetic answer of the scale benchmark.'"
        values = {
            "project": "p.id",
            "teacher": "t.id",
            "school": "t.school_id",
            "country": "t.country_id",
            "status": f"'{NQLStatus.AWARDED.value}'",
            "school_year": "(extract(year from x.decided - interval '8 months'))::int",
            "collaboration": answer,
            "technology": answer,
            "pedagogy": answer,
            "curriculum": answer,
            "results": answer,
            "own_contribution": answer,
            "not_visible": answer,
            "created_at": "x.decided - interval '60 days'",
            "updated_at": "x.decided - interval '30 days'",
            "submitted_at": "x.decided - interval '30 days'",
            "decided_at": "x.decided",
            "certificate_code": "md5(p.id::text || '-' || t.id::text)::uuid",
        }
        fields = _field_names(QualityLabelApplication)
        values = {k: v for k, v in values.items() if k in fields}
        label = insert_select(
            cursor,
            QualityLabelApplication,
            values,
            f"""
            FROM (SELECT p.*, CASE p.tier
                    WHEN 'D' THEN {_between(datetime.date(2022, 6, 1), NQL_FROM - datetime.timedelta(days=2))}
                    WHEN 'E' THEN {_between(NQL_UNTIL + datetime.timedelta(days=3), datetime.date(2025, 6, 30))}
                    ELSE {_between(datetime.date(2023, 11, 1), datetime.date(2024, 12, 20))} END AS decided
                  FROM _scale_project p WHERE p.tier <> 'Z') x
            JOIN _scale_project p ON p.idx = x.idx
            JOIN _scale_teacher t ON t.idx = p.t1
            """,
        )
        # Background: European projects whose label decision (about 10 months after
        # founding) falls outside the window, so that no background school qualifies.
        wanted = max(0, s.nqls - label)
        decided = "p.founded + interval '300 days'"
        background = insert_select(
            cursor,
            QualityLabelApplication,
            values,
            f"""
            FROM (SELECT p.idx, {decided} AS decided FROM _scale_project p
                  WHERE p.tier = 'Z' AND p.kind = 'european'
                    AND ({decided} < {_ts(NQL_FROM - datetime.timedelta(days=2))} OR ({decided} > {_ts(NQL_UNTIL + datetime.timedelta(days=2))}
                         AND {decided} < {_ts(WORLD_NOW)}))
                  ORDER BY random() LIMIT {wanted}) x
            JOIN _scale_project p ON p.idx = x.idx
            JOIN _scale_teacher t ON t.idx = p.t1
            """,
            suffix="ON CONFLICT DO NOTHING",
        )
        return label + background

    def insert_professional_development(self, cursor) -> int:
        """Activities and participations (R36), when the School Label models exist."""
        activity_model = _model("labels.PDActivity")
        participation_model = _model("labels.PDParticipation")
        if activity_model is None or participation_model is None:
            self.log("    (no professional development models yet: skipped)")
            return 0
        return fill_professional_development(
            cursor, self.size, activity_model, participation_model
        )

    def fill_partner_search(self, cursor) -> int:
        return fill_partner_search(cursor, self.log)

    def finish(self, cursor) -> int:
        models_ = world_models()
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)
        for m in models_:
            cursor.execute(f"ANALYZE {table(m)}")
        return 0

    def count_rows(self) -> None:
        for m in world_models():
            self.report.counts[m._meta.label] = m._default_manager.count()


def fill_professional_development(
    cursor, size: WorldSize, activity_model, participation_model
) -> int:
    """R36: a catalogue of activities since 2012 and ~1 M participations (at 1.0).

    The three School Label courses run every year. Participations go to random teachers,
    never before they registered; the three involved teachers of every label-ready school
    also took a School Label course in 2023-24.
    """
    from labels.enums import PDKind

    n_activities = max(30, round(6000 * size.scale))
    kinds = _sql_array([v for v, _ in PDKind.choices])
    start, end = datetime.date(2012, 1, 1), WORLD_NOW
    activities = insert_select(
        cursor,
        activity_model,
        {
            "kind": f"({kinds})[1 + mod(g, {len(PDKind)})]",
            "title": f"({_sql_array(THEMES)})[1 + mod(g, {len(THEMES)})] || ' (activity ' || g || ')'",
            "description": "'A synthetic activity of the scale benchmark.'",
            "starts_on": f"({_between(start, end, 'g::float / ' + str(n_activities))})::date",
            "ends_on": f"({_between(start, end, 'g::float / ' + str(n_activities))})::date + 14",
            "for_school_label": "mod(g, 50) = 0",
        },
        f"FROM generate_series(0, {n_activities - 1}) g",
    )
    cursor.execute(
        f"""
        DROP TABLE IF EXISTS _scale_activity;
        CREATE TEMP TABLE _scale_activity AS
        SELECT (row_number() OVER (ORDER BY id) - 1)::int AS k, id, starts_on,
               for_school_label
        FROM {table(activity_model)} WHERE description = 'A synthetic activity of the scale benchmark.';
        CREATE UNIQUE INDEX ON _scale_activity (k);
        """
    )
    cursor.execute("SELECT count(*) FROM _scale_teacher")
    n_teachers = cursor.fetchone()[0]
    cursor.execute(
        "SELECT min(k) FROM _scale_activity WHERE starts_on >= %s", [INVOLVED_SINCE]
    )
    first_recent = cursor.fetchone()[0] or 0
    values = {
        "activity": "a.id",
        "teacher": "t.id",
        "participated_on": "a.starts_on + mod(t.idx, 10)",
    }
    # Activities are evenly spread in time, so the first one after a teacher registered
    # is found by arithmetic; each draw picks among the activities since then.
    span = (end - start).days
    first_after = (
        f"least({n_activities - 1}, greatest(0, ceil((t.joined::date - date '{start}') "
        f"* {n_activities}.0 / {span})::int))"
    )
    wanted = size.pd_participations
    rows = insert_select(
        cursor,
        participation_model,
        values,
        f"""
        FROM (SELECT floor(random() * {n_teachers})::int AS t, random() AS r
              FROM generate_series(1, {round(wanted * 1.06)})) x
        JOIN _scale_teacher t ON t.idx = x.t
        JOIN _scale_activity a
          ON a.k = {first_after} + floor(power(x.r, 1.5) * ({n_activities} - {first_after}))::int
        LIMIT {wanted}
        """,
        suffix="ON CONFLICT DO NOTHING",
    )
    # The label-ready schools' involved teachers also took a course since the cut-off.
    rows += insert_select(
        cursor,
        participation_model,
        values,
        f"""
        FROM _scale_teacher t
        JOIN _scale_activity a
          ON a.k = {first_recent} + mod(t.idx, greatest(1, {n_activities} - {first_recent} - 40))
        WHERE t.tier = 'A' AND t.ordinal < 3
        """,
        suffix="ON CONFLICT DO NOTHING",
    )
    return activities + rows


def fill_partner_search(cursor, log: Callable[[str], None]) -> int:
    """R7's denormalised search table, set-wise, exactly as projects.search._entry_for
    would write each row (tokens " a b ", name_key'd text, validated_at as the date).

    projects.search.rebuild() saves one teacher at a time (a membership query each):
    fine for a restore of a small country, hours at 1.2 M teachers; hence this statement.
    """
    entry = _model("projects.PartnerSearchEntry")
    if entry is None:
        log("    (no partner search table yet: skipped)")
        return 0
    from accounts.text import name_key

    firsts = _sql_array([name_key(n) for n in FIRST_NAMES])
    lasts = _sql_array([name_key(n) for n in LAST_NAMES])
    prefix = name_key(SCHOOL_PREFIX)

    values = {
        "teacher": "t.id",
        "school": "t.school_id",
        "country": "t.country_id",
        # tokens(["a", "b"]) == " a b ", as projects.search.tokens writes it.
        **{
            name: "' ' || " + " || ' ' || ".join(items) + " || ' '"
            for name, items in profile_lists().items()
        },
        "text": (
            f"({firsts})[1 + mod(t.idx, {len(FIRST_NAMES)})] || ' ' || "
            f"({lasts})[1 + mod(t.idx / 7, {len(LAST_NAMES)})] || ' {USERNAME_PREFIX} ' || t.idx "
            f"|| ' {prefix} ' || t.school_idx || ' town ' || mod(t.school_idx, 997)"
        ),
        "registered_at": "t.joined + interval '2 days'",
    }
    fields = _field_names(entry)
    if "facets" in fields:
        from projects.search import facet

        # facets(subject=..., language=..., age_group=..., interest=...): one token list.
        kinds = {
            "subjects": "subject",
            "languages": "language",
            "age_groups": "age_group",
            "interests": "interest",
        }
        items = []
        for name, kind in kinds.items():
            items += profile_lists(lambda c, kind=kind: facet(kind, c))[name]
        values["facets"] = "' ' || " + " || ' ' || ".join(items) + " || ' '"
    fields = _field_names(entry)
    values = {k: v for k, v in values.items() if k in fields}
    return insert_select(cursor, entry, values, "FROM _scale_teacher t")


def generate_world(scale: float, log: Callable[[str], None]) -> GenerationReport:
    return WorldBuilder(WorldSize.for_scale(scale), log).run()
