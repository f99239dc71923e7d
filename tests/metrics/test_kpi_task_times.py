"""Each KPI task logs its own time, and the bench reads ``kpi_task_s`` back from the log."""

import logging
from datetime import date

import pytest

from bench.steps import kpi_task_times
from metrics.tasks import compute_kpi
from tests.metrics import builders as b

pytestmark = pytest.mark.django_db


def test_a_kpi_task_logs_its_time_and_the_bench_reads_it_per_kpi(caplog):
    b.authority(population={2024: 50_000})
    b.referral(b.child(), date(2024, 6, 3))
    with caplog.at_level(logging.INFO, logger="metrics.tasks"):
        written = compute_kpi("referrals_nfa", ["2024-06"])
        compute_kpi("rereferrals_12m", ["2024-06"])
        compute_kpi("referrals_nfa", ["2024-06"])

    times = kpi_task_times(caplog.text)
    assert written > 0
    assert set(times) == {"referrals_nfa", "rereferrals_12m"}
    assert all(seconds >= 0 for seconds in times.values())
    assert "referrals_nfa computed in" in caplog.text and f"({written} rows)" in caplog.text
