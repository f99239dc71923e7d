"""Issue 18: working days, row locks and worker role groups each have one home."""

import ast

from tests.architecture.test_one_rule import WORKER_ROLE_HOME
from tests.architecture.walk import outside

# Working-day arithmetic: casework.calendar in Python, metrics.kpis.sql in SQL (ordinal,
# working_days, is_working_day, next_working_day). Others may list the table (the demo
# refresh, the admin) or walk its dates as a day series (the KPI stocks), never count on it.
CALENDAR_TABLE_READERS = {
    "casework.calendar", "casework.models", "casework.models.calendar", "casework.admin",
    "casework.demo_refresh", "metrics.kpis.sql", "metrics.kpis.stocks",
}  # fmt: skip


def _calendar_table_reads(source: str, module: str) -> list[str]:
    return [
        f"{module}:{node.lineno} {node.id}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and node.id == "WorkingDay"
    ] + [
        f"{module}:{node.lineno} casework_workingday"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "JOIN casework_workingday" in node.value
    ]


def test_working_days_are_counted_by_the_calendar_and_the_kpi_sql_only():
    assert outside(_calendar_table_reads, CALENDAR_TABLE_READERS) == []


def test_the_calendar_check_finds_a_hand_written_working_day_query():
    written = "Exists(WorkingDay.objects.filter(date=OuterRef('received_on'), is_working_day=True))"
    assert _calendar_table_reads(written, "somewhere.kpis")


# A row lock on a loaded record: casework.services.common.lock (or lock_at_version, which
# also compares the version the user saw).
LOCK_HOME = "casework.services.common"


def _hand_written_locks(source: str, module: str) -> list[str]:
    """``Model.objects.select_for_update().get(pk=record.pk)``: ``lock(record)`` again."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and ast.unparse(node.func.value).endswith(".objects.select_for_update()")
            and any(
                k.arg == "pk" and isinstance(k.value, ast.Attribute) and k.value.attr == "pk"
                for k in node.keywords
            )
        ):
            found.append(f"{module}:{node.lineno} {ast.unparse(node)}")
    return found


def test_records_are_locked_through_the_services_common_lock():
    assert outside(_hand_written_locks, {LOCK_HOME}) == []


def test_the_lock_check_finds_a_hand_written_lock():
    written = "child = Child.objects.select_for_update().get(pk=child.pk)"
    assert _hand_written_locks(written, "somewhere.services")


def _worker_role_sets(source: str, module: str) -> list[str]:
    """Two or more worker roles written out together: a worker role group of its own."""
    return [
        f"{module}:{node.lineno} {ast.unparse(node)}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Set | ast.Tuple | ast.List)
        and sum(
            isinstance(e, ast.Attribute) and getattr(e.value, "id", None) == "WorkerRole"
            for e in node.elts
        )
        >= 2
    ]


def test_worker_role_groups_are_written_only_beside_worker_role():
    assert outside(_worker_role_sets, {WORKER_ROLE_HOME}) == []


def test_the_worker_role_check_finds_a_hand_written_group():
    written = "HOLDERS = {WorkerRole.SOCIAL_WORKER, WorkerRole.SENIOR_PRACTITIONER}"
    assert _worker_role_sets(written, "somewhere.selectors")
