"""Assertions shared by the domain tests."""

import pytest

from casework.errors import DomainError


def snapshot(obj):
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def assert_refused_unchanged(call, obj, message=None):
    """``call`` raises DomainError (with ``message`` if given) and ``obj`` is unchanged."""
    before = snapshot(obj)
    with pytest.raises(DomainError) as caught:
        call()
    if message is not None:
        assert caught.value.message == message
    assert snapshot(obj) == before
    return caught.value
