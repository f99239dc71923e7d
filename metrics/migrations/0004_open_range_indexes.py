"""GiST indexes on the dates referrals and CP plans are open (metrics.kpis.stocks).

The stock KPIs join every period end to the records open then; without these each date
scanned every record started before it (7 s of the 10-year recompute for children in
need alone at medium scale). PostgreSQL only: SQLite keeps the portable range test.
"""

from django.db import migrations

INDEXES = [
    ("referrals_referral", "referral_open_range_gist", "referred_on", "closed_on"),
    ("casework_childprotectionplan", "cp_plan_open_range_gist", "started_on", "ended_on"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, start, end in INDEXES:
        # Must stay the same expression as metrics.kpis.stocks.open_range_sql builds.
        expression = f"daterange({start}, CASE WHEN {end} < {start} THEN {start} ELSE {end} END)"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gist (({expression}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0003_kpi_target_history"),
        ("referrals", "0001_initial"),
        ("casework", "0003_build_working_day_calendar"),
    ]

    operations = [migrations.RunPython(create, drop)]
