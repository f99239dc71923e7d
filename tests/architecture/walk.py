"""The walk the one-rule tests share: a check run over every module but a rule's home."""

from collections.abc import Callable

from tests.architecture.layers import modules


def outside(check: Callable[[str, str], list[str]], homes) -> list[str]:
    """What ``check(source, module)`` finds in every module but ``homes``."""
    return [
        hit
        for module, path in modules().items()
        if module not in homes
        for hit in check(path.read_text(), module)
    ]


def model_modules() -> set[str]:
    """Models' modules: their constraints name stored values and columns as migrations
    record them."""
    return {m for m in modules() if m.endswith(".models") or ".models." in m}
