"""Run School Label stage one for a campaign (R28, R29): `manage.py school_label_stage_one 2025-2026`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from labels.models import SchoolLabelCampaign
from labels.services.school import select_stage_one


class Command(BaseCommand):
    help = (
        "Select the schools meeting the three School Label criteria, store every school's "
        "figures, invite and mail the teachers of the selected schools. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("campaign", help="The campaign's name, e.g. 2025-2026")

    def handle(self, *args, **options) -> None:
        campaign = SchoolLabelCampaign.objects.filter(name=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"No campaign named {options['campaign']!r}.")
        started = time.monotonic()
        result = select_stage_one(campaign, progress=self.stdout.write)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Stage one of {campaign.name}: {result.summary()} in {seconds:.1f} s."
            )
        )
