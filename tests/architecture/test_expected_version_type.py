"""The version a user saw has one type (issue 18 item 4): every function that takes
``expected_version`` annotates it ``ExpectedVersion`` (``casework.services.common``), so
a form's one version, the API's If-Match list and None mean the same everywhere and
``lock_at_version`` reads them all through one normaliser."""

import ast

from tests.architecture.layers import modules

TYPE = "ExpectedVersion"


def _other_annotations(source: str, module: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if arg.arg != "expected_version":
                    continue
                written = ast.unparse(arg.annotation) if arg.annotation else "no annotation"
                if written != TYPE:
                    found.append(f"{module}:{node.lineno} {node.name}: {written}")
    return found


def test_every_expected_version_is_typed_expected_version():
    found = []
    for module, path in modules().items():
        found += _other_annotations(path.read_text(), module)
    assert found == []


def test_the_check_finds_another_type():
    written = "def care_end(*, period, expected_version: int | None = None): ..."
    assert _other_annotations(written, "somewhere.services") == [
        "somewhere.services:1 care_end: int | None"
    ]
