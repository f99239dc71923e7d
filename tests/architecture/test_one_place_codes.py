"""Issue 18: census and SSDA903 codes, and statuses, are named by their members, never
written out as strings."""

import ast

import pytest

from tests.architecture.layers import modules
from tests.architecture.walk import model_modules, outside

# Census and SSDA903 codes are named in their code modules; a decision elsewhere names the
# member (ClosureReason.RC9, ReasonCeased.E12), never the string, so a code list is
# written once and a typo is an AttributeError, not a silently different rule.
CODE_HOMES = ("casework.codes", "care.codes", "metrics.returns.annex_a_codes")
DECIDED_BY_CODE = {
    "casework.codes": ("ClosureReason", "PrimaryNeed", "AbuseCategory"),
    "care.codes": (
        "LegalStatus", "NewEpisodeReason", "CategoryOfNeed", "PlacementType",
        "PlacementProvider", "ReasonCeased", "ReviewParticipation", "PreviousPermanence",
        "AdopterLegalStatus",
    ),
}  # fmt: skip


def _census_codes() -> set[str]:
    import importlib

    from casework.codes import NO_FACTORS

    found = {NO_FACTORS}
    for home, names in DECIDED_BY_CODE.items():
        module = importlib.import_module(home)
        for name in names:
            found |= set(getattr(module, name).values)
    return {code for code in found if any(ch.isdigit() for ch in code)}


def _code_literals(source: str, module: str, codes: set[str]) -> list[str]:
    """String literals equal to a code, outside docstrings and translation tables (a dict
    from one code list to another is a declaration, written once)."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            skipped |= {id(n) for n in ast.walk(node)}
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))
    return [
        f"{module}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in codes
        and id(node) not in skipped
    ]


def test_census_codes_are_named_not_written_out():
    codes = _census_codes()
    found = []
    for module, path in modules().items():
        if module in CODE_HOMES:
            continue
        found += _code_literals(path.read_text(), module, codes)
    assert found == []


@pytest.mark.parametrize(
    "written",
    [
        'CLOSED_AFTER_ASSESSMENT = ("RC8", "RC9")',
        'if last["REC"] in ("E11", "E12"): pass',
        'NO_FACTORS = "21"',
    ],
)
def test_the_code_check_finds_a_written_out_code(written):
    assert _code_literals(written, "somewhere.services", _census_codes())


def _status_strings(source: str, module: str) -> list[str]:
    """A status filtered or passed as a written-out string (``status="active"``): the
    model's ``Status`` member names it, and a renamed status cannot leave a query behind."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.keyword) and node.arg):
            continue
        name = node.arg.removesuffix("__in")
        values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
        if (name == "status" or name.endswith("__status")) and any(
            isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values
        ):
            found.append(f"{module}:{node.lineno} {node.arg}={ast.unparse(node.value)}")
    return found


def test_statuses_are_named_by_their_models_status_members():
    models_modules = model_modules()
    assert outside(_status_strings, models_modules) == []


def test_the_status_check_finds_a_written_out_status():
    written = 'Assessment.objects.filter(status="in_progress", referral__status="open")'
    assert len(_status_strings(written, "somewhere.selectors")) == 2
