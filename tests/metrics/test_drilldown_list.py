"""The drill-down a manager works from: the late ones (not in the numerator), whose they
are, paged and sorted, with the same columns in its download."""

import csv
import io

import pytest

from accounts.models import Role
from metrics.models import KpiSnapshot
from tests.metrics.test_views import PERIOD, _data, _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hos(client):
    client.force_login(_user(Role.HEAD_OF_SERVICE))
    return client


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_not_in_the_numerator_lists_the_rest_of_the_denominator_with_worker_and_team(hos):
    _data(2)
    snap = KpiSnapshot.objects.get(kpi="referrals_nfa", period=PERIOD, scope_type="authority")
    url = f"/kpis/referrals_nfa/denominator/?period={PERIOD}"
    rest = _csv(hos.get(f"{url}&show=not_in&format=csv"))
    inside = _csv(hos.get(f"{url}&show=in&format=csv"))
    assert len(rest) == int(snap.denominator - snap.numerator)
    assert len(inside) == int(snap.numerator)
    assert not {r["child"] for r in rest} & {r["child"] for r in inside}
    assert {"worker", "team", "working days from referral"} <= set(rest[0])
    page = hos.get(f"{url}&show=not_in")
    assert len(page.context["rows"]) == len(rest)
    assert "Not in the numerator (late)" in page.content.decode()


def test_the_list_is_paged_and_sorted(hos, monkeypatch):
    from metrics import drilldown_list

    _data(2)
    monkeypatch.setattr(drilldown_list, "PER_PAGE", 2)
    url = f"/kpis/referrals_nfa/denominator/?period={PERIOD}"
    first = hos.get(f"{url}&sort=date")
    assert len(first.context["rows"]) == 2
    assert first.context["page_obj"].paginator.count == 6
    assert "page 1 of 3" in first.content.decode()
    last = hos.get(f"{url}&sort=date&page=3")
    dates = [r[2] for r in first.context["rows"] + last.context["rows"]]
    assert dates == sorted(dates)
    newest = hos.get(f"{url}&sort=-date").context["rows"][0][2]
    assert newest == max(dates)


def test_each_kpi_counts_the_days_from_its_own_clock(hos):
    from datetime import date

    from metrics import periods as P
    from metrics import services
    from tests.metrics import builders as b
    from tests.metrics.conftest import TODAY

    b.authority()
    # Referred 1 March, strategy discussion Wednesday 20 March 2024, conference Friday
    # 12 April: 15 working days from the discussion (Easter excluded), not the referral's 30.
    enquiry = b.s47(b.referral(b.child(), date(2024, 3, 1)), date(2024, 3, 20),
                    ended_on=date(2024, 4, 12), outcome="icpc")  # fmt: skip
    b.icpc(enquiry, date(2024, 4, 12))
    services.kpi_snapshots_compute(periods=[P.parse("2024-04")], today=TODAY)
    (row,) = _csv(hos.get("/kpis/icpc_15wd/denominator/?period=2024-04&format=csv"))
    assert row["working days from strategy discussion"] == "15"
    assert "working days from referral" not in row
