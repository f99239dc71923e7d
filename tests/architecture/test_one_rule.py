"""Issue 18: a domain rule is written once; this keeps the named ones from being copied."""

import ast

from tests.architecture.layers import modules

TIMESCALES = {
    "SCREENING_WORKING_DAYS",
    "ASSESSMENT_WORKING_DAYS",
    "ICPC_WORKING_DAYS",
    "CORE_GROUP_WORKING_DAYS",
}


def _assignments(names: set[str]) -> list[str]:
    found = []
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id in names:
                        found.append(f"{module}.{target.id}")
    return sorted(found)


def test_the_working_day_limits_are_defined_only_in_casework_timescales():
    assert _assignments(TIMESCALES) == sorted(f"casework.timescales.{n}" for n in TIMESCALES)


def _allocation_filters_outside_predicates() -> list[str]:
    """Calls filtering allocations on their end date anywhere but casework.predicates."""
    found = []
    for module, path in modules().items():
        if module in {"casework.predicates", "casework.models.allocation"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            on_allocations = "Allocation" in ast.unparse(node.func)
            for keyword in node.keywords:
                name = keyword.arg or ""
                if name.startswith("allocations__ended_on") or (
                    on_allocations and name.startswith("ended_on")
                ):
                    found.append(f"{module}:{node.lineno} {name}")
    return found


def test_open_allocations_are_asked_of_casework_predicates_everywhere():
    assert _allocation_filters_outside_predicates() == []
