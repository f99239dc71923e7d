from datetime import date

import pytest

from metrics import periods as P
from metrics import services
from metrics.models import KpiSnapshot
from metrics.registry import CODES
from tests.metrics import builders as b

pytestmark = pytest.mark.django_db


def test_every_kpi_computes_for_every_scope_on_a_small_authority():
    b.authority(population={2024: 50_000})
    w = b.worker()
    ch = b.child()
    ref = b.referral(ch, date(2024, 5, 1))
    b.allocate(ref, w, date(2024, 5, 1))
    b.assessment(ref, date(2024, 5, 2), authorised_on=date(2024, 6, 3), outcome="nfa")
    p = b.cp_plan(b.child(), date(2024, 6, 1))
    b.allocate(p.referral, w, date(2024, 6, 1))
    b.visit(p, date(2024, 6, 20))
    b.contact(b.at(date(2024, 5, 1)), [ch], decided=b.at(date(2024, 5, 2)))
    written = services.kpi_snapshots_compute(
        periods=[P.parse("FY2024-25"), P.parse("2024-06")], today=date(2025, 6, 1)
    )
    assert written > 0
    codes = set(KpiSnapshot.objects.filter(scope_type="authority").values_list("kpi", flat=True))
    assert codes == set(CODES)
    assert KpiSnapshot.objects.filter(scope_type="worker", scope_id=w.pk).exists()
