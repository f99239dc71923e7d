import pytest

from tests.returns import builders


@pytest.fixture
def small_authority(db):
    return builders.small_authority()
