"""Care tests share the domain fixtures (tests/factories/fixtures.py)."""

from tests.factories.fixtures import *  # noqa: F403
