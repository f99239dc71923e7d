"""The parallel phase's order (tests/support/balance.py): each worker's first share
starts with its part of the slow modules, modules whole, every item kept once."""

from dataclasses import dataclass

from tests.support.balance import share_sizes, slow_modules_first


@dataclass(frozen=True)
class _Item:
    nodeid: str


def _items(spec: dict[str, int]) -> list[_Item]:
    return [_Item(f"{module}::test_{i}") for module, n in spec.items() for i in range(n)]


def test_xdist_shares_are_split_as_worksteal_splits_them():
    assert share_sizes(11, 2) == [5, 6]
    assert share_sizes(9, 3) == [3, 3, 3]


def test_slow_modules_start_each_share_balanced_by_cost_and_nothing_is_lost():
    items = _items({"a.py": 4, "slow1.py": 2, "b.py": 3, "slow2.py": 1, "slow3.py": 1})
    costs = {"slow1.py": 100, "slow2.py": 60, "slow3.py": 50}

    ordered = slow_modules_first(items, 2, costs)

    assert sorted(i.nodeid for i in ordered) == sorted(i.nodeid for i in items)
    first, second = ordered[:5], ordered[5:]
    assert [i.nodeid for i in first[:2]] == ["slow1.py::test_0", "slow1.py::test_1"]
    assert [i.nodeid.split("::")[0] for i in second[:2]] == ["slow2.py", "slow3.py"]
    # The rest keep their collected order.
    rest = [i.nodeid for i in ordered if not i.nodeid.startswith("slow")]
    assert rest == [i.nodeid for i in items if not i.nodeid.startswith("slow")]


def test_one_worker_or_slow_modules_too_big_for_a_share_keep_the_collected_order():
    items = _items({"a.py": 1, "slow1.py": 5})
    assert slow_modules_first(items, 1, {"slow1.py": 9}) == items
    assert slow_modules_first(items, 2, {"slow1.py": 9}) == items
