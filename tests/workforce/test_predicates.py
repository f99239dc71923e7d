"""Issue 18: a contract's end date is its last day in post, in one predicate that the
KPIs, the establishment page, the workforce figures and the services all ask."""

from datetime import date
from decimal import Decimal

import pytest

from tests.metrics import builders as b
from workforce.kpis import Held
from workforce.models import Contract, Post
from workforce.predicates import contract_in_post, in_post

LAST_DAY = date(2025, 3, 31)


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2024, 4, 1), True), (LAST_DAY, True), (date(2025, 4, 1), False)],
)
def test_a_contract_is_in_post_to_its_end_date_inclusive(on, expected):
    assert in_post(date(2024, 4, 1), LAST_DAY, on) is expected
    held = Held(1, 1, 1, "social_worker", date(2024, 4, 1), LAST_DAY, Decimal(1), False,
                False, True)  # fmt: skip
    assert held.in_post(on) is expected


@pytest.mark.django_db
def test_the_database_reads_the_end_date_as_the_python_does():
    worker = b.worker(b.team())
    post = Post.objects.create(team=worker.team, role="social_worker",
                               budgeted_fte=Decimal(1), valid_from=date(2024, 4, 1))  # fmt: skip
    Contract.objects.create(worker=worker, post=post, started_on=date(2024, 4, 1),
                            ended_on=LAST_DAY, fte=Decimal(1), employment="permanent")  # fmt: skip
    current = [
        Contract.objects.filter(contract_in_post(day)).exists()
        for day in (LAST_DAY, date(2025, 4, 1))
    ]
    assert current == [True, False]
