"""tests/support/shared_authority.py: a generated authority is built once per inputs, each
module reads its own copy, and nothing of it is left for the tests after the module.

The generator is stood in for by one Authority row, so this costs two database copies,
not a generation."""

import os
from datetime import date

import psycopg
import pytest
from django.db import connection

from casework.models import Authority
from tests.support import shared_authority
from tests.support.shared_authority import generated_authority

pytestmark = [pytest.mark.usefixtures("requires_postgres"), pytest.mark.django_db]


def _databases() -> set[str]:
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


@pytest.fixture(scope="module")
def two_modules(django_db_setup, django_db_blocker):
    """What two modules asking for the same authority saw, one after the other (module
    fixtures use it outside any test's transaction, as here)."""
    if not os.environ.get("CASEFLOW_TEST_DB_TEMPLATE"):
        pytest.skip("the shared copies need `make test`'s migrated template")
    made, seen = [], []

    def stand_in(args, clock):
        made.append((tuple(args), clock))
        Authority.objects.create(la_code="850", name=f"Stand-in {len(made)}")
        return f"generated {len(made)}"

    home = connection.settings_dict["NAME"]
    before = _databases()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shared_authority, "_generate", stand_in)
        # Inputs no real test uses, so no other module's cached authority is touched.
        patch.setattr(shared_authority, "_source_digest", lambda: f"test-{os.getpid()}")
        for _ in range(2):
            with generated_authority(django_db_blocker, seed=99, end=date(2025, 6, 30)) as out:
                names = list(Authority.objects.values_list("name", flat=True))
                seen.append((out, names, connection.settings_dict["NAME"]))
                Authority.objects.update(name="Changed by this module")
    shared_authority.wait_for_drops()
    return {"made": made, "seen": seen, "home": home, "new": _databases() - before}


def test_one_generation_serves_every_module_and_leaves_nothing_behind(two_modules):
    assert len(two_modules["made"]) == 1
    for printed, names, database in two_modules["seen"]:
        assert printed == "generated 1"
        assert names == ["Stand-in 1"]  # not the first module's change
        assert database != two_modules["home"]
    assert connection.settings_dict["NAME"] == two_modules["home"]
    assert not Authority.objects.exists()
    # Only the cached authority itself is left: each module's copy was dropped.
    assert len(two_modules["new"]) == 1
