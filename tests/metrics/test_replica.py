"""The KPI pages read the real streaming replica; a form's redirect reads its own write.

Needs the replica that `make test` (scripts/services.py --replica) starts. Replay on the
replica is paused part-way, so the replica holds an older state than the primary: what
a page shows says which server it read.
"""

import os
import time
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from metrics import periods as P
from metrics import services
from metrics.models import KpiSnapshot, KpiTarget
from tests.metrics import builders as b
from tests.metrics.conftest import TODAY

pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

PAGE = "/kpis/referrals_nfa/?period=2024-08"


@pytest.fixture
def replica():
    """The ``replica`` alias pointed at the real replica's copy of this test database,
    and a superuser connection to the replica to pause and resume its replay."""
    port = os.environ.get("CASEFLOW_PG_REPLICA_PORT")
    if not port or "replica" not in connections:
        pytest.fail("needs the streaming replica: run with `make test`")
    alias = connections["replica"]
    mirrored = alias.settings_dict
    alias.close()
    alias.settings_dict = {
        **connections["default"].settings_dict, "HOST": "127.0.0.1", "PORT": port,
        "ATOMIC_REQUESTS": False,
    }  # fmt: skip
    control = psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
    control.autocommit = True
    try:
        yield control
    finally:
        control.execute("SELECT pg_wal_replay_resume()")
        control.close()
        alias.close()
        alias.settings_dict = mirrored


def _replayed(control) -> None:
    """Wait until the replica has replayed everything the primary has committed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + 30
    while not control.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()[0]:
        assert time.monotonic() < deadline, "the replica did not catch up in 30 s"
        time.sleep(0.05)


def test_a_kpi_page_reads_the_replica_and_a_forms_redirect_reads_its_own_write(client, replica):
    b.authority(population={2024: 50_000})
    for day, nfa in ((5, True), (12, False)):
        b.referral(b.child(), date(2024, 8, day), nfa=nfa)
    services.kpi_snapshots_compute(periods=[P.parse("2024-08")], today=TODAY)
    client.force_login(User.objects.create_user("hos", password="x", role=Role.HEAD_OF_SERVICE))
    _replayed(replica)
    replica.execute("SELECT pg_wal_replay_pause()")

    # On the primary only, while the replica's replay is paused.
    figure = KpiSnapshot.objects.filter(kpi="referrals_nfa", period="2024-08", scope_key=0)
    assert figure.update(value=Decimal("77.7")) == 1

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get(PAGE).content.decode()
    assert "50" in page and "77.7" not in page
    assert any("metrics_kpisnapshot" in q["sql"] for q in on_replica.captured_queries)

    response = client.post(
        "/kpis/referrals_nfa/target/", {"value": "20", "amber_threshold": "30"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/kpis/referrals_nfa/")
    # The target exists only on the primary: the redirect's page shows it.
    assert "Target saved" in response.content.decode()
    assert KpiTarget.objects.get(kpi="referrals_nfa").value == 20
    assert "20 (amber to 30)" in response.content.decode()
    # For a while after writing, the session's KPI pages read the primary.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = client.get(PAGE).content.decode()
    assert "77.7" in page and on_replica.captured_queries == []
