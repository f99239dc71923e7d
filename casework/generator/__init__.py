"""A synthetic authority for the demo, the benchmarks and the KPI checks (issue 5).

``engine.generate`` simulates years of contacts, referrals and casework day by day in
memory (seeded, so one seed gives one authority) and writes the rows in bulk.
"""
