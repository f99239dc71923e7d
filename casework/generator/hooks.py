"""Generation steps other apps add after the authority is built.

Apps that depend on casework (the workforce app's establishment, supervision and
audits) register a function here from their ``AppConfig.ready``, so casework never
imports them. Each is called inside the generation transaction, after every casework
row is written, as ``step(start=..., end=..., seed=...)`` and returns row counts.
"""

from __future__ import annotations

from collections.abc import Callable

AFTER_GENERATE: list[Callable[..., dict[str, int]]] = []


def register(step: Callable[..., dict[str, int]]) -> None:
    if step not in AFTER_GENERATE:
        AFTER_GENERATE.append(step)
