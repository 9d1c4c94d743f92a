"""Rebuild the partner search table (R7) from accounts: after a bulk import or a restore."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from projects.search import rebuild


class Command(BaseCommand):
    help = "Rebuild the partner search table from validated teachers."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int, **options):
        def progress(done: int) -> None:
            self.stdout.write(f"  {done} teachers indexed…")

        with transaction.atomic():
            total = rebuild(batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Partner search rebuilt: {total} teachers.")
        )
