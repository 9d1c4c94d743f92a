"""Build a small, realistic demo world; safe to run twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DemoWorld, seed_accounts
from labels.demo import seed_quality_labels
from labels.demo_school import seed_school_label
from projects.demo import seed_projects
from twinspace.demo import seed_twinspaces


class Command(BaseCommand):
    help = "Create demo countries, schools, teachers, evaluators and projects (idempotent)."

    def handle(self, *args, **options) -> None:
        world = DemoWorld()
        # The demo's workflow steps would mail their (fictional) people: drop those mails.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
            ),
            transaction.atomic(),
        ):
            self.stdout.write("People and schools...")
            seed_accounts(world)
            self.stdout.write("Projects...")
            seed_projects(world)
            self.stdout.write("TwinSpaces...")
            seed_twinspaces(world)
            self.stdout.write("Quality Labels...")
            seed_quality_labels(world)
            self.stdout.write("School Label...")
            seed_school_label(world)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts (sign in at http://127.0.0.1:8000/accounts/login/):"
            )
        )
        width = max(len(role) for role, _login, _pw in world.accounts)
        for role, login, password in world.accounts:
            self.stdout.write(f"  {role.ljust(width)}  {login:<20} {password}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {len(world.schools)} schools, {len(world.teachers)} teachers, "
                f"{len(world.evaluators)} evaluators, {len(world.projects)} projects."
            )
        )
