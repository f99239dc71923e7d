"""Generate a synthetic authority (organisation only until the full generator lands)."""

import random
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from casework.models import Authority, ChildPopulation, ServiceArea, Team, Worker, WorkerRole

SCALES = {"demo": 6, "medium": 12, "large": 60}


class Command(BaseCommand):
    help = "Create a synthetic authority: teams, workers (and, later, cases)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=None)

    @transaction.atomic
    def handle(self, *args, scale, seed, years, **options):
        rng = random.Random(seed)
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        authority = Authority.objects.create(la_code="999", name="Caseflow Demo Borough")
        for year in range(2015, 2027):
            ChildPopulation.objects.create(authority=authority, year=year, population=52_000)
        areas = [
            ServiceArea.FRONT_DOOR,
            ServiceArea.ASSESSMENT,
            ServiceArea.SAFEGUARDING,
            ServiceArea.CHILDREN_IN_NEED,
        ]
        hos = None
        for t in range(SCALES[scale]):
            area = areas[t % len(areas)]
            team = Team.objects.create(
                name=f"{area.label} {t // len(areas) + 1}", service_area=area
            )
            manager = self._worker(fake, rng, team, WorkerRole.TEAM_MANAGER, f"M{t:03d}")
            team.manager = manager
            team.save()
            if hos is None:
                hos = self._worker(fake, rng, team, WorkerRole.HEAD_OF_SERVICE, "H000")
            for w in range(9):
                self._worker(fake, rng, team, WorkerRole.SOCIAL_WORKER, f"S{t:03d}{w:02d}")
        self.stdout.write(
            f"Created {Team.objects.count()} teams, {Worker.objects.count()} workers."
        )

    def _worker(self, fake, rng, team, role, staff_id):
        nq = role == WorkerRole.SOCIAL_WORKER and rng.random() < 0.15
        return Worker.objects.create(
            staff_id=staff_id,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            team=team,
            role=role,
            fte=Decimal("1.00") if rng.random() < 0.85 else Decimal("0.60"),
            employment="agency" if rng.random() < 0.15 else "permanent",
            newly_qualified=nq,
            protected_caseload_limit=18 if nq else None,
            started_on=date(2018, 1, 1),
        )
