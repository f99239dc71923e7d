"""Benchmark targets (issue: benchmarks). A figure above its target is listed as missed."""

TARGETS: dict[str, float] = {
    "generate_s": 600,
    "generate_peak_rss_mb": 4096,
    "kpi_full_recompute_s": 60,
    # Full recompute / one sequential pass over the tables it reads (issue 25).
    "kpi_full_recompute_ratio": 3,
    "kpi_peak_rss_mb": 1024,
    "kpi_incremental_s": 5,
    "worktray_p95_ms": 300,
    "caseload_board_p95_ms": 300,
    "kpi_dashboard_p95_ms": 500,
    "error_rate": 0,
    "cin_census_export_s": 60,
    "annex_a_export_s": 60,
}

# Query counts must not grow with data: the 1,000-row count must equal the 10-row count.
QUERY_PAIRS = ["worktray", "caseload_board", "kpi_dashboard"]


def missed(result: dict) -> list[str]:
    out = []
    for key, target in TARGETS.items():
        value = result.get(key)
        if value is None or value > target:
            out.append(key)
    # A page whose plan reads a whole authority-sized table (bench/plans.py) is a miss.
    pages = result.get("pages_scanning_whole_tables")
    if pages is None:
        out.append("page_plans")
    out.extend(f"page_plan_{page}" for page in pages or ())
    for page in QUERY_PAIRS:
        small, large = result.get(f"queries_{page}_10"), result.get(f"queries_{page}_1000")
        if small is None or large is None or large != small:
            out.append(f"queries_{page}")
    return out
