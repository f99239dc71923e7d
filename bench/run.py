#!/usr/bin/env python3
"""`make bench`: build an authority and measure Caseflow end to end; print one JSON object.

Runs under scripts/services.py (DATABASE_URL and CELERY_BROKER_URL point at throwaway
servers). Every figure comes from a real run: subprocesses for the generator, a real
Celery worker for the KPI jobs, gunicorn + locust for page latency. A step that fails is
recorded under "errors" and its figures are null, so one broken step never hides the rest.
Results go to stdout and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
sys.path.insert(0, str(ROOT))

from bench import steps  # noqa: E402
from bench.targets import TARGETS, missed  # noqa: E402


def git_sha() -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default=os.environ.get("SCALE", "large"))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "1")))
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60)
    args = parser.parse_args()

    os.chdir(ROOT)
    result: dict = {
        "scale": args.scale,
        "seed": args.seed,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "git_sha": git_sha(),
        "errors": {},
    }
    plan = [
        ("migrate", lambda: steps.migrate()),
        ("generate", lambda: steps.generate(args.scale, args.seed)),
        ("database", lambda: steps.database_facts()),
        ("kpi", lambda: steps.kpi_jobs()),
        ("queries", lambda: steps.query_counts()),
        ("pages", lambda: steps.pages()),
        ("exports", lambda: steps.exports()),
        ("load", lambda: steps.load_test(users=args.users, duration=args.duration)),
    ]
    for name, run in plan:
        started = time.monotonic()
        print(f"[bench] {name}...", file=sys.stderr, flush=True)
        try:
            result.update(run() or {})
        except Exception as exc:  # a failed step is reported, never hides the others
            result["errors"][name] = f"{exc.__class__.__name__}: {exc}"
            traceback.print_exc()
        print(f"[bench] {name} took {time.monotonic() - started:.1f}s", file=sys.stderr)

    for key in TARGETS:
        result.setdefault(key, None)
    result["missed"] = missed(result)
    out = json.dumps(result, indent=2, sort_keys=True, default=str)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(out + "\n")
    (results / f"{args.scale}.json").write_text(out + "\n")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
