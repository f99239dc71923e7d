"""Issue 18: a domain rule is written once; this keeps the named ones from being copied."""

import ast
import re

import pytest

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
            # Q(ended_on__...) passed to a filter on allocations counts as well.
            keywords = list(node.keywords)
            if on_allocations:
                keywords += [
                    k
                    for arg in node.args
                    for q in ast.walk(arg)
                    if isinstance(q, ast.Call) and ast.unparse(q.func) == "Q"
                    for k in q.keywords
                ]
            for keyword in keywords:
                name = keyword.arg or ""
                if "allocations__ended_on" in name or (
                    on_allocations and name.startswith("ended_on")
                ):
                    found.append(f"{module}:{node.lineno} {name}")
    return found


def test_open_allocations_are_asked_of_casework_predicates_everywhere():
    assert _allocation_filters_outside_predicates() == []


# Where role groupings are written: sign-in roles (gates) in the one role table; worker
# roles (domain facts: who holds cases, the CSWW scope) beside WorkerRole.
ROLE_TABLE = "accounts.permissions"
WORKER_ROLE_HOME = "casework.models.organisation"


def _names_a_role(node: ast.expr) -> bool:
    """``role``, ``user.role``, ``self.role``, ``request.user.role``..."""
    return (isinstance(node, ast.Name) and node.id == "role") or (
        isinstance(node, ast.Attribute) and node.attr == "role"
    )


def _is_user_role(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def _role_gates_outside_the_table(source: str, module: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        # A role compared with a written-out set, tuple or list of roles.
        if isinstance(node, ast.Compare) and _names_a_role(node.left):
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, ast.In | ast.NotIn) and isinstance(
                    right, ast.Set | ast.Tuple | ast.List
                ):
                    found.append(f"{module}:{node.lineno} {ast.unparse(node)}")
        # Two or more sign-in roles written out together: a role group of its own.
        elif (
            isinstance(node, ast.Set | ast.Tuple | ast.List)
            and sum(_is_user_role(e) for e in node.elts) >= 2
        ):
            found.append(f"{module}:{node.lineno} {ast.unparse(node)}")
    return found


def test_worker_role_groups_are_defined_only_beside_worker_role():
    groups = {"CASE_HOLDING_ROLES", "SOCIAL_WORK_ROLES", "MANAGED_BY_TEAM_MANAGER"}
    assert _assignments(groups) == sorted(f"{WORKER_ROLE_HOME}.{n}" for n in groups)


def test_role_gates_read_the_one_role_table():
    found = []
    for module, path in modules().items():
        if module != ROLE_TABLE:
            found += _role_gates_outside_the_table(path.read_text(), module)
    assert found == []


@pytest.mark.parametrize(
    "written",
    [
        "if user.role in {Role.TEAM_MANAGER, Role.ADMINISTRATOR}: pass",
        "allowed = request.user.role not in ('auditor', 'administrator')",
        "MANAGING = [Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE]",
    ],
)
def test_the_role_check_finds_a_hand_written_role_set(written):
    assert _role_gates_outside_the_table(written, "somewhere.views")


# Issue 18 item 3: a generator takes each status from the service's own decision
# (``decide_*``), so the decision's guards judge generated rows too. ``status_after`` with
# steps would replay the state table without them; without steps it names the status a
# new record starts in (no transition), and ``status_after_step`` is left for a step with
# no guard beyond the table (said so where it is used).
GENERATOR = re.compile(r"(^|\.)\w*generator(\.|$)")


def _replayed_paths(source: str, module: str) -> list[str]:
    """Calls of ``status_after(Model, step, ...)``: a path of steps replayed undecided."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func).rpartition(".")[2] == "status_after"
            and len(node.args) > 1
        ):
            found.append(f"{module}:{node.lineno} {ast.unparse(node)}")
    return found


def test_the_generators_ask_the_services_decisions_for_each_status():
    generators = {m: p for m, p in modules().items() if GENERATOR.search(m)}
    assert {"casework.generator.records", "care.generator", "earlyhelp.generator"} <= set(
        generators
    )
    found = []
    for module, path in generators.items():
        found += _replayed_paths(path.read_text(), module)
    assert found == []


@pytest.mark.parametrize(
    "written",
    [
        'status = status_after(Assessment, "complete", "submit", "authorise")',
        'row["status"] = transitions.status_after(Contact, *(["decide"] if decided else []))',
    ],
)
def test_the_generator_check_finds_a_replayed_path(written):
    assert _replayed_paths(written, "casework.generator.records")


def test_the_generator_check_lets_a_new_records_status_be_named():
    assert _replayed_paths("row = {'status': status_after(CINPlan)}", "care.generator") == []
