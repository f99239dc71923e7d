"""A generated authority for a module's tests, rolled back afterwards."""

from __future__ import annotations

import contextlib
from datetime import date
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import transaction


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """A transaction, outside any test's, that is rolled back when the block ends: a
    module fixture writes its data once, and each test's own transaction nests inside."""
    with django_db_blocker.unblock(), contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


@contextlib.contextmanager
def tiny_authority(django_db_blocker, end: date):
    """Generate the tiny authority up to ``end`` (the clock pinned there) in a transaction
    that is rolled back when the block ends."""
    with time_machine.travel(end, tick=False), rolled_back(django_db_blocker):
        call_command("generate_authority", "--scale", "tiny", "--end-date", end.isoformat(),
                     stdout=StringIO())  # fmt: skip
        yield
