"""The measured steps of `make bench`. Each returns a dict of figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run_measured(args: list[str], **kw) -> tuple[float, float, str]:
    """Run a subprocess; return (seconds, its peak RSS in MB, its stdout)."""
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True, **kw)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args[1:4])} exited {proc.returncode}: {out[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, out


def manage(*args: str) -> list[str]:
    return [PY, "manage.py", *args]


def migrate() -> dict:
    subprocess.run(manage("migrate", "--noinput", "-v", "0"), cwd=ROOT, check=True)
    return {}


def generate(scale: str, seed: int) -> dict:
    elapsed, peak_mb, out = run_measured(
        manage("generate_authority", "--scale", scale, "--seed", str(seed), "--json")
    )
    return {
        "generate_s": round(elapsed, 1),
        "generate_peak_rss_mb": round(peak_mb, 1),
        "generate_report": _last_json_line(out),
    }


def _last_json_line(out: str) -> dict:
    for line in reversed(out.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    return {}


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def database_facts() -> dict:
    _django()
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"referrals", "casework", "metrics", "accounts"} and not (
            model.__name__.startswith("Historical")
        ):
            rows[model._meta.label] = model._default_manager.count()
    return {"postgres_version": version, "rows": rows}


def _start_worker(logfile, concurrency: int = 1) -> subprocess.Popen:
    """A Celery worker: solo pool for one process, prefork for more."""
    pool = ["-P", "solo"] if concurrency == 1 else ["-P", "prefork", "-c", str(concurrency)]
    worker = subprocess.Popen(
        [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *pool,
            "-n",
            f"bench{concurrency}@%h",
            "-l",
            # info: each KPI task logs its own time (``kpi_task_s``).
            "info",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        stdout=logfile,
        stderr=logfile,
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.inspect(timeout=1).ping():
            return worker
    raise RuntimeError("the bench Celery worker did not answer a ping")


def _stop_worker(worker: subprocess.Popen) -> float:
    """Stop the worker; its peak RSS (with its pool's processes) in MB."""
    worker.terminate()
    _, _, usage = os.wait4(worker.pid, 0)
    return round(usage.ru_maxrss / 1024, 1)


def scan_floor() -> float:
    """Seconds for one sequential pass over every table the KPIs read, every column:
    what no recompute reading those tables can beat on this machine."""
    from django.db import connection

    from metrics.kpi_sources import SOURCES

    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in sorted(set().union(*SOURCES.values())):
            cursor.execute(f"SELECT count(*), sum(length(t::text)) FROM {table} t")
            cursor.fetchone()
    return round(time.monotonic() - started, 2)


def _on_worker(concurrency: int, *jobs) -> tuple[list, float]:
    """Run ``jobs`` (callables taking the worker's log file) with a worker of
    ``concurrency`` processes up; their results and the worker's peak RSS."""
    with tempfile.TemporaryFile() as log:
        worker = _start_worker(log, concurrency)
        try:
            results = [job(log) for job in jobs]
        finally:
            peak_mb = _stop_worker(worker)
    return results, peak_mb


def kpi_task_times(log_text: str) -> dict[str, float]:
    """KPI code -> seconds of its task, from the lines ``compute_kpi`` logs
    (``metrics.tasks.TASK_TIME_LOG``); a KPI run twice keeps its total."""
    import re

    times: dict[str, float] = {}
    for code, seconds in re.findall(r"KPI (\S+) computed in ([\d.]+) s", log_text):
        times[code] = round(times.get(code, 0.0) + float(seconds), 3)
    return dict(sorted(times.items(), key=lambda item: -item[1]))


def _log_since(log, offset: int) -> str:
    # pread: the worker writes through the same open file, so moving its offset (seek)
    # could make it overwrite what is read.
    size = os.fstat(log.fileno()).st_size
    return os.pread(log.fileno(), max(size - offset, 0), offset).decode("utf-8", "replace")


def _full_recompute(log) -> tuple[float, dict[str, float]]:
    """Seconds of the full recompute, and each KPI task's seconds in it."""
    from metrics import tasks

    offset = os.fstat(log.fileno()).st_size
    started = time.monotonic()
    tasks.compute_all_kpis.delay().get(timeout=3600)
    elapsed = round(time.monotonic() - started, 2)
    # The chord's last part can finish logging just after the result is in.
    time.sleep(0.5)
    return elapsed, kpi_task_times(_log_since(log, offset))


def kpi_jobs() -> dict:
    """The full recompute on one worker process and on two (the job fans out one task per
    KPI), the scan floor in the same run, and the incremental job after one write."""
    _django()
    floor = scan_floor()
    ((one, task_s_1),), _ = _on_worker(1, _full_recompute)
    ((two, task_s), incremental), peak_mb = _on_worker(
        2, _full_recompute, _incremental_after_backdated_authorisation
    )
    return {
        # The deployment's shape: a worker with two processes (docker-compose.yml).
        "kpi_full_recompute_s": two,
        "kpi_full_recompute_s_workers_1": one,
        "kpi_full_recompute_s_workers_2": two,
        "scan_floor_s": floor,
        "kpi_full_recompute_ratio": round(two / floor, 1) if floor else None,
        "kpi_peak_rss_mb": peak_mb,
        "kpi_incremental_s": incremental,
        # Each KPI's task in the two-process recompute (slowest first), and alone on one.
        "kpi_task_s": task_s,
        "kpi_task_s_workers_1": task_s_1,
    }


def _incremental_after_backdated_authorisation(log=None) -> float | None:
    """Authorise one submitted assessment with a date 30 days back; time the recompute
    the service's commit would send (the assessment table, from that date)."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Assessment
    from casework.scope import restamp_scope
    from metrics import tasks

    assessment = (
        Assessment.objects.current()
        .filter(status=Assessment.Status.SUBMITTED)
        .select_related("referral")
        .order_by("pk")
        .first()
    )
    if assessment is None:
        return None
    day = max(timezone.localdate() - timedelta(days=30), assessment.submitted_on)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.AUTHORISED, authorised_on=day
    )
    # Written around the services: its scope on the new date, as a save would stamp it.
    restamp_scope([assessment.referral_id], tables=[Assessment._meta.db_table])
    started = time.monotonic()
    tasks.recompute_changes.delay({Assessment._meta.db_table: day.isoformat()}).get(timeout=600)
    return round(time.monotonic() - started, 2)


def exports() -> dict:
    _django()
    from django.utils import timezone

    today = timezone.localdate()
    year = today.year if today.month > 3 else today.year - 1
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        s, _, _ = run_measured(
            manage("export_cin_census", "--year", str(year), "--out", f"{tmp}/cin.xml")
        )
        out["cin_census_export_s"] = round(s, 1)
        as_of = f"{year}-03-31"
        s, _, _ = run_measured(
            manage("export_annex_a", "--as-of", as_of, "--out", f"{tmp}/annex_a.xlsx")
        )
        out["annex_a_export_s"] = round(s, 1)
    return out


def query_counts() -> dict:
    _django()
    from bench.queries import measure

    return measure()


def pages() -> dict:
    _django()
    from bench.plans import measure_pages

    return measure_pages()


def load_test(*, users: int, duration: int) -> dict:
    from bench.load import run

    return run(users=users, duration=duration)
