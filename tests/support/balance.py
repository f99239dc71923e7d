"""Order the parallel phase so its workers finish together.

pytest-xdist's ``worksteal`` hands each worker one contiguous share of the collected
items (the first ``n // workers`` to the first, and so on), then lets an idle worker
steal from the end of a busy one's queue. A slow module left at the end of a share
runs last on its own while the other worker idles. So the known slow modules are spread
over the shares by their cost (longest first, each to the least loaded share) and put at
the start of their share: what is left to steal at the end is many short tests.
"""

from __future__ import annotations

# Seconds each module costs in `make test` on 2 cores (setup + calls, module fixtures
# included): the --durations=80 of a run on 2026-12-06 on a machine shared with four other
# suites (it took 4.6 times as long as a quiet one), divided by 4.6, with the generated
# authorities built once per run (tests/support/shared_authority.py). Only the order
# depends on these: a stale figure costs balance, not correctness. Measure again when a
# module becomes slow.
SLOW_MODULES = {
    "tests/crawl/test_every_link.py": 135,
    "tests/returns/test_generated_authority.py": 100,
    "tests/casework/test_generator.py": 90,
    "tests/returns/test_dfe_validator.py": 73,
    "tests/workforce/test_generator.py": 58,
    "tests/ops/test_backup_restore.py": 37,
    "tests/api/test_schemathesis.py": 34,
    "tests/jobs/test_kpi_fan_out.py": 32,
    "tests/returns/test_import_cin_census.py": 30,
    "tests/foundation/test_demo_output.py": 28,
    "tests/browser/test_daily_work.py": 16,
    "tests/accounts/test_child_pages.py": 15,
    "tests/casework/test_calendar.py": 13,
    "tests/returns/test_ssda903.py": 12,
    "tests/browser/test_kpi_report.py": 11,
    "tests/browser/test_allocation_and_drafts.py": 10,
    "tests/ui/test_views_queues.py": 10,
    "tests/foundation/test_demo_loaded.py": 10,
    "tests/browser/test_early_help.py": 10,
    "tests/architecture/test_kpi_fingerprint.py": 9,
    "tests/browser/test_daily_journeys.py": 9,
    "tests/performance/test_page_plans.py": 7,
}


def _module(item) -> str:
    return item.nodeid.split("::", 1)[0]


def share_sizes(count: int, workers: int) -> list[int]:
    """The sizes of the shares worksteal hands out first (xdist's own arithmetic)."""
    sizes, left = [], count
    for i in range(workers):
        size = left // (workers - i)
        sizes.append(size)
        left -= size
    return sizes


def slow_modules_first(items: list, workers: int, costs: dict[str, float] = SLOW_MODULES):
    """``items`` reordered: each share starts with its part of the slow modules, modules
    kept whole; the other items keep their order. Unchanged if the slow modules cannot
    all fit at the start of the shares."""
    if workers < 2 or not items:
        return list(items)
    by_module: dict[str, list] = {}
    for item in items:
        by_module.setdefault(_module(item), []).append(item)
    slow = sorted((m for m in by_module if m in costs), key=lambda m: -costs[m])
    sizes = share_sizes(len(items), workers)
    shares: list[list] = [[] for _ in sizes]
    loads = [0.0] * workers
    for module in slow:
        fits = [i for i in range(workers) if len(shares[i]) + len(by_module[module]) <= sizes[i]]
        if not fits:
            return list(items)
        i = min(fits, key=lambda j: (loads[j], j))
        shares[i].extend(by_module[module])
        loads[i] += costs[module]
    rest = iter(item for item in items if _module(item) not in costs)
    for share, size in zip(shares, sizes, strict=True):
        share.extend(next(rest) for _ in range(size - len(share)))
    return [item for share in shares for item in share]
