"""Issue 18 item 6: tests move the clock with time-machine and draw from a seeded generator.

The issue found real ``sleep()`` in the sign-in tests (slow, and flaky on a busy machine)
and a random sample in a generator test (a failure no rerun reproduces). A test may still
wait for a real process (a Celery worker, PostgreSQL, a replica) by polling it in a loop
with a deadline; only the worker-backed ``tests/jobs`` also wait a set time (to kill a
worker mid-job).
"""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
REAL_WORKERS = TESTS / "jobs"
GLOBAL_DRAWS = {"random", "randint", "randrange", "choice", "choices", "sample", "shuffle"}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _in_a_loop(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.While):
            return True
    return False


def clock_and_chance(source: str, name: str, *, real_workers: bool = False) -> list[str]:
    """Sleeps outside a polling loop, and draws from the unseeded global ``random``."""
    tree = ast.parse(source)
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = ast.unparse(node.func)
        if func.split(".")[-1] == "sleep" and not real_workers and not _in_a_loop(node, parents):
            found.append(f"{name}:{node.lineno} {func}() outside a polling loop")
        elif func.startswith("random.") and func.split(".")[-1] in GLOBAL_DRAWS:
            found.append(f"{name}:{node.lineno} {func}() from the unseeded global generator")
        elif func == "random.Random" and not node.args and not node.keywords:
            found.append(f"{name}:{node.lineno} random.Random() without a seed")
    return found


def test_tests_neither_sleep_nor_draw_unseeded():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        found += clock_and_chance(
            path.read_text(),
            str(path.relative_to(TESTS)),
            real_workers=REAL_WORKERS in path.parents,
        )
    assert found == []


@pytest.mark.parametrize(
    "written",
    [
        "def test_x(client):\n    client.post('/sign-in/')\n    time.sleep(2)\n",
        "rows = random.sample(children, 5)",
        "rng = random.Random()",
    ],
)
def test_the_check_finds_a_sleep_or_an_unseeded_draw(written):
    assert clock_and_chance(written, "tests/x.py")


def test_the_check_lets_a_poll_with_a_deadline_and_a_seeded_draw_pass():
    written = (
        "while not ready():\n    time.sleep(0.2)\n"
        "rng = random.Random(20240229)\nrng.sample(children, 5)\n"
    )
    assert clock_and_chance(written, "tests/x.py") == []
