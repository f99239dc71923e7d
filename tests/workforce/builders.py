"""A small establishment built through the workforce services."""

from datetime import date
from decimal import Decimal

from accounts.models import Role, User
from casework.models import Employment, Team, WorkerRole
from casework.models.organisation import SOCIAL_WORK_ROLES
from workforce.services import establishment as E

PERMANENT, AGENCY = Employment.PERMANENT, Employment.AGENCY
_n = iter(range(1, 10_000))


def user(role=Role.HEAD_OF_SERVICE, **kw) -> User:
    return User.objects.create_user(username=f"u{next(_n)}", role=role, **kw)


def post(team: Team, by, *, fte="1.00", role=WorkerRole.SOCIAL_WORKER, valid_from=date(2020, 1, 1)):
    return E.post_create(team=team, role=role, budgeted_fte=Decimal(fte), valid_from=valid_from,
                         by=by)  # fmt: skip


def starter(post_, by, *, on=date(2020, 1, 6), fte="1.00", employment=PERMANENT, nq=False):
    n = next(_n)
    # A social work role needs a Social Work England number (the SSDA903 SW_ID).
    registration = f"SW{700000 + n}" if post_.role in SOCIAL_WORK_ROLES else ""
    return E.contract_start(
        post=post_, started_on=on, fte=Decimal(fte), employment=employment,
        newly_qualified=nq, first_name="Staff", last_name=str(n), by=by,
        swe_registration=registration,
    )  # fmt: skip


def figure(code: str, period_name: str, scope=("authority", None), *, recompute=True):
    """(numerator, denominator, value) as floats: FTE figures have fractions."""
    from metrics.models import KpiSnapshot
    from tests.metrics.conftest import compute

    if recompute:
        compute(period_name, codes=[code])
    snap = KpiSnapshot.objects.get(kpi=code, period=period_name, scope_type=scope[0],
                                   scope_id=scope[1])  # fmt: skip
    value = None if snap.value is None else float(snap.value)
    return float(snap.numerator), float(snap.denominator), value
