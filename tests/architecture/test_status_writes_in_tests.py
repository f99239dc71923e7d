"""Issue 18 item 6: tests build records through the services, so a test's row is one the
services could have produced. A status protected by the state machine (an FSM field) is
reached by the services, by their pure ``decide_*`` functions (tests/factories/decided.py)
or by asking ``casework.transitions.status_after`` the status a path of transitions
reaches; a test module never writes one itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin

from tests.architecture.layers import ROOT

# Tests that must write a status themselves, each with its reason.
ALLOWED = {
    # The protection itself: assigning a protected status must raise.
    "tests/casework/test_transitions.py": "asserts that assigning a status raises",
}
# Calls whose answer is a status the declared transitions reach.
ASKS_THE_STATE_MACHINE = ("status_after", "status_after_step")
# Builders whose ``status`` argument is walked to through the services' decisions
# (tests/ui/builders.py, tests/factories/decided.py).
WALKS_TO_A_STATUS = {"assessments", "s47s", "assessment_to", "s47_to", "adoption_to"}
READS = {"filter", "exclude", "get", "Q"}
WRITES = {"create", "update", "get_or_create", "update_or_create"}


def _fsm_models() -> set[str]:
    """Names of the models whose ``status`` is a state machine field."""
    return {
        model.__name__
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name == "status" and isinstance(field, FSMFieldMixin)
    }


def _root_name(node: ast.expr) -> str:
    """``Assessment`` for ``Assessment.objects.filter(...).update``."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


def _writes_a_row(call: ast.Call, fsm_models: set[str]) -> bool:
    """``Model(...)`` (bulk_create's rows) or ``Model.objects...create/update(...)``."""
    if isinstance(call.func, ast.Name):
        return call.func.id in fsm_models
    return _root_name(call.func) in fsm_models and getattr(call.func, "attr", "") in WRITES


def _hands_a_status_on(call: ast.Call, fsm_models: set[str]) -> bool:
    """``records.assessment(status=Assessment.Status.AUTHORISED)``: a builder passing a
    named status on to a row, unless it is one that walks the decisions to it."""
    name = ast.unparse(call.func).rpartition(".")[2]
    if name in WALKS_TO_A_STATUS | READS or _root_name(call.func) in fsm_models:
        return False  # a model's own rows and queries are _writes_a_row's
    return any(
        k.arg == "status"
        and isinstance(k.value, ast.Attribute)
        and _root_name(k.value) in fsm_models
        and ast.unparse(k.value).count(".Status.") == 1
        for k in call.keywords
    )


def _asks_the_state_machine(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call):
        return False
    name = ast.unparse(value.func).rpartition(".")[2]
    return name in ASKS_THE_STATE_MACHINE or name.startswith("decide_")


def status_writes(source: str, fsm_models: set[str]) -> list[str]:
    """Lines of ``source`` that write a state machine status directly."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and _hands_a_status_on(node, fsm_models):
            found.append(f"{node.lineno}: {ast.unparse(node)[:120]}")
        elif isinstance(node, ast.Call) and _writes_a_row(node, fsm_models):
            for keyword in node.keywords:
                if keyword.arg != "status":
                    continue
                # .update() writes around the transitions whatever the value.
                is_update = getattr(node.func, "attr", "") == "update"
                if is_update or not _asks_the_state_machine(keyword.value):
                    found.append(f"{node.lineno}: {ast.unparse(node)[:120]}")
    return found


def test_no_test_module_writes_a_state_machine_status():
    fsm_models = _fsm_models()
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in ALLOWED or path == Path(__file__).resolve():
            continue
        found += [f"{name}:{line}" for line in status_writes(path.read_text(), fsm_models)]
    assert found == []


def test_the_fsm_models_are_found():
    assert {"Assessment", "Section47Enquiry", "CarePeriod", "AdoptionPlan"} <= _fsm_models()


@pytest.mark.parametrize(
    "written",
    [
        "Assessment.objects.filter(pk=1).update(status=status_after(Assessment, 'complete'))",
        "CarePeriod.objects.create(child=c, status='ceased')",
        "Assessment.objects.bulk_create([Assessment(status=Assessment.Status.SUBMITTED)])",
        "Section47Enquiry(status=status)",
        "plan.status = AdoptionPlan.Status.MATCHED",
        "records.assessment(on=r, status=Assessment.Status.AUTHORISED)",
    ],
)
def test_a_direct_status_write_is_found(written):
    assert status_writes(written, _fsm_models())


@pytest.mark.parametrize(
    "asked",
    [
        "ChildProtectionConference(status=status_after(ChildProtectionConference, 'hold'))",
        "CensusCheckRun.objects.filter(pk=1).update(status='running')",  # not a state machine
        "Assessment.objects.filter(status='authorised')",  # a read
        "builders.assessments(rs, status=Assessment.Status.SUBMITTED)",  # walked by decisions
        "referral.s47s.filter(status=Section47Enquiry.Status.OPEN)",  # a read
    ],
)
def test_asking_the_state_machine_or_reading_is_not_a_write(asked):
    assert status_writes(asked, _fsm_models()) == []
