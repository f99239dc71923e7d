"""Issue 18: "open" is asked of the named predicates, for social care's episodes and early
help's: never a status or closure-date filter written out again."""

import ast

import pytest

from tests.architecture.layers import modules
from tests.architecture.walk import model_modules, outside

# An open episode: casework.predicates.open_episodes, and the lock that refuses a closed
# one before work is added to it: casework.services.protection.open_episode.
EPISODE_HOME = "casework.predicates"
EPISODE_GUARD = "casework.services.protection"


def _open_episode_filters(source: str, module: str) -> list[str]:
    """``status=Referral.Status.OPEN`` passed to a query, and a closed episode refused."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "status":
            if ast.unparse(node.value) == "Referral.Status.OPEN":
                found.append(f"{module}:{node.value.lineno} status=Referral.Status.OPEN")
        elif isinstance(node, ast.Attribute) and node.attr == "EPISODE_CLOSED":
            found.append(f"{module}:{node.lineno} errors.EPISODE_CLOSED")
    return found


def test_open_episodes_are_asked_of_casework_predicates_everywhere():
    found = []
    for module, path in modules().items():
        if module.startswith("earlyhelp"):
            continue  # early help's own episodes and their own EPISODE_CLOSED message
        for hit in _open_episode_filters(path.read_text(), module):
            if module == EPISODE_HOME and "status=" in hit:
                continue
            if module == EPISODE_GUARD and "EPISODE_CLOSED" in hit:
                continue
            found.append(hit)
    assert found == []


@pytest.mark.parametrize(
    "written",
    [
        "Referral.objects.current().filter(child=child, status=Referral.Status.OPEN)",
        "if referral.status != Referral.Status.OPEN: raise DomainError(errors.EPISODE_CLOSED)",
    ],
)
def test_the_episode_check_finds_a_hand_written_open_episode(written):
    assert _open_episode_filters(written, "somewhere.services")


# An episode open now or on a day, social care's or early help's: casework.predicates
# (open_episodes, episode_open_on) and earlyhelp.predicates (early_help_open,
# open_early_help, early_help_open_on). Models' constraints name the columns themselves.
OPEN_EPISODE_HOMES = {"casework.predicates", "earlyhelp.predicates"}


def _closed_on_filters(source: str, module: str) -> list[str]:
    """``closed_on__isnull=True`` or ``closed_on__gt=day``: "open" written out again."""
    return [
        f"{module}:{node.lineno} {node.arg}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.keyword) and node.arg in {"closed_on__isnull", "closed_on__gt"}
    ]


def test_open_is_asked_of_the_predicates_for_both_kinds_of_episode():
    models_modules = model_modules()
    assert outside(_closed_on_filters, OPEN_EPISODE_HOMES | models_modules) == []


def test_the_open_check_finds_a_hand_written_open_episode():
    written = "EarlyHelpEpisode.objects.filter(closed_on__isnull=True, child_id=child_id)"
    assert _closed_on_filters(written, "somewhere.services")
