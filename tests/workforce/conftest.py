"""Page tests reuse the people of tests/ui (alice, mary, henry, olive) and its clock."""

from tests.ui.conftest import (  # noqa: F401 - fixtures
    _pinned_clock,
    _warm_calendar,
    alice,
    henry,
    login,
    mary,
    olive,
    team,
)
