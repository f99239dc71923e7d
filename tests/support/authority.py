"""A generated authority for a module's tests, rolled back afterwards."""

from __future__ import annotations

import contextlib
from datetime import date

import time_machine
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
    """The tiny authority (seed 1) generated up to ``end`` with the clock pinned there, in
    a transaction that is rolled back when the block ends; the block runs with the clock
    pinned too. Built once per run and copied (tests/support/shared_authority.py)."""
    from tests.support.shared_authority import generated_authority

    with (
        generated_authority(django_db_blocker, end=end, clock=end),
        time_machine.travel(end, tick=False),
    ):
        yield
