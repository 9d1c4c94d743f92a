"""Measure the portal on a generated world (issue 9) and write BENCHMARKS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/etw_scale \\
        .venv/bin/python manage.py bench --label full

Stage one set-wise vs a per-school loop, the main pages under load (gunicorn + a separate
load process), queries per request. `--quick` is the CI smoke: a few seconds in all.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from labels import benchmark


class Command(BaseCommand):
    help = "Benchmark stage one and the main pages on a generated world (PostgreSQL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--label", default="run", help="name of the result file")
        parser.add_argument(
            "--out",
            default=str(Path(settings.BASE_DIR) / "bench" / "results"),
            help="folder of the JSON results",
        )
        parser.add_argument(
            "--markdown",
            default=str(Path(settings.BASE_DIR) / "BENCHMARKS.md"),
            help="file whose generated section is rewritten from every result ('' = none)",
        )
        parser.add_argument("--loop-sample", type=int, default=500)
        parser.add_argument("--clients", default="1,8")
        parser.add_argument("--duration", type=float, default=15.0)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--port", type=int, default=0, help="0 = a free port")
        parser.add_argument("--skip-load", action="store_true")
        parser.add_argument(
            "--cache-url",
            default=os.environ.get("CACHE_URL", ""),
            help="Redis cache for the gunicorn workers, as in production (default: "
            "$CACHE_URL; empty = local memory per worker)",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="CI smoke: small loop sample, 1 s of load per page and client count",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench needs PostgreSQL: set DATABASE_URL=postgres://..."
            )
        if options["quick"]:
            options.update(loop_sample=min(options["loop_sample"], 50), duration=1.0)
            options["workers"] = min(options["workers"], 2)
        out = Path(options["out"])
        benchmark.run_bench(
            label=options["label"],
            out_dir=out,
            loop_sample=options["loop_sample"],
            clients=[int(n) for n in options["clients"].split(",") if n.strip()],
            duration=options["duration"],
            workers=options["workers"],
            port=options["port"],
            skip_load=options["skip_load"],
            log=self.stdout.write,
            cache_url=options["cache_url"],
        )
        if options["markdown"]:
            benchmark.render_markdown(out, Path(options["markdown"]))
            self.stdout.write(f"  tables written to {options['markdown']}")
        self.stdout.write(
            self.style.SUCCESS(f"Benchmark '{options['label']}' written to {out}")
        )
