"""Fill PostgreSQL with a synthetic eTwinning at a fraction of its real size (issue 9).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/etw_scale \\
        .venv/bin/python manage.py generate_scale --scale 1.0 --reset

1.0 = 295,000 schools, 1.2 million teachers, 160,000 projects (~718,000 members),
~40,000 National Quality Labels, ~1 million professional development participations.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from labels import scale


class Command(BaseCommand):
    help = (
        "Generate eTwinning's real size (or a fraction of it) in PostgreSQL, set-wise."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=0.01,
            help="fraction of the real network (1.0 = 295,000 schools, 1.2 M teachers)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="TRUNCATE the world's tables first (users, schools, projects, labels: "
            "everything but countries; use a dedicated database)",
        )
        parser.add_argument(
            "--out",
            default=str(Path(settings.BASE_DIR) / "bench" / "results"),
            help="folder for generate-<database>.json (what was built and how long it took)",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_scale needs PostgreSQL (it loads with INSERT ... SELECT "
                "generate_series); set DATABASE_URL=postgres://... to a dedicated database."
            )
        factor = options["scale"]
        if not 0 < factor <= 2:
            raise CommandError("--scale must be in (0, 2]")
        started = time.perf_counter()
        if options["reset"]:
            scale.reset_world(self.stdout.write)
        elif scale.has_generated_data():
            raise CommandError(
                "This database already holds a generated world; run again with --reset."
            )
        size = scale.WorldSize.for_scale(factor)
        self.stdout.write(
            f"Generating scale {factor}: {size.schools:,} schools, {size.teachers:,} teachers, "
            f"{size.projects:,} projects on database {connection.settings_dict['NAME']}"
        )
        report = scale.generate_world(factor, self.stdout.write)
        report.seconds = round(time.perf_counter() - started, 1)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"generate-{connection.settings_dict['NAME']}.json"
        path.write_text(report.as_json() + "\n")
        for label, count in report.counts.items():
            self.stdout.write(f"  {label:<45} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated scale {factor} in {report.seconds:.1f} s; stage one should select "
                f"{report.expected_selected_schools:,} schools and invite "
                f"{report.expected_invited_teachers:,} teachers; report in {path}"
            )
        )
