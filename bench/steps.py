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


def _start_worker(logfile) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-n",
            "bench@%h",
            "-l",
            "warning",
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


def kpi_jobs() -> dict:
    _django()
    from metrics import tasks

    with tempfile.TemporaryFile() as log:
        worker = _start_worker(log)
        try:
            started = time.monotonic()
            tasks.compute_all_kpis.delay().get(timeout=3600)
            full = time.monotonic() - started
            incremental = _incremental_after_backdated_authorisation()
        finally:
            worker.terminate()
            _, _, usage = os.wait4(worker.pid, 0)
    return {
        "kpi_full_recompute_s": round(full, 2),
        "kpi_peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "kpi_incremental_s": incremental,
    }


def _incremental_after_backdated_authorisation() -> float | None:
    """Authorise one submitted assessment with a date 30 days back; time the recompute."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.models import Assessment
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
    started = time.monotonic()
    tasks.recompute_for_dates.delay([day.isoformat()]).get(timeout=600)
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
