"""Fixtures for the KPI tests."""

from datetime import date

import pytest

from casework import calendar
from casework.models import WorkingDay
from metrics import periods as P
from metrics import services
from metrics.models import KpiSnapshot


@pytest.fixture(autouse=True)
def working_day_calendar(request):
    """The calendar table the migration builds (a transactional test's flush empties it)."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        yield
        return
    request.getfixturevalue("django_db_blocker")
    if not WorkingDay.objects.exists():
        calendar.calendar_rebuild()
    calendar.invalidate()
    yield
    calendar.invalidate()


TODAY = date(2025, 6, 30)


def compute(period_name: str, codes=None, today=TODAY):
    services.kpi_snapshots_compute(periods=[P.parse(period_name)], codes=codes, today=today)


def figure(code: str, period_name: str, scope=("authority", None), *, recompute=True):
    """(numerator, denominator, value) of one KPI, computed for that one period."""
    if recompute:
        compute(period_name, codes=[code])
    snap = KpiSnapshot.objects.get(
        kpi=code, period=period_name, scope_type=scope[0], scope_id=scope[1]
    )
    value = None if snap.value is None else float(snap.value)
    return int(snap.numerator), int(snap.denominator), value


@pytest.fixture
def hos(client):
    """A client signed in as a head of service."""
    from accounts.models import Role, User

    client.force_login(User.objects.create_user(username="hos", role=Role.HEAD_OF_SERVICE))
    return client
