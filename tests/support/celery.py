"""Celery in tests as in production: tasks go to the broker. In-process only with a reason."""

from __future__ import annotations

import contextlib

from config.celery import app as celery_app


@contextlib.contextmanager
def always_eager(eager: bool):
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@contextlib.contextmanager
def tasks_in_process(reason: str):
    """Tasks sent inside the block run in-process (eager), for a fixture or a step that
    reads a job's effect at once; ``reason`` says why, as ``celery_eager`` does for a test."""
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("tasks_in_process needs a reason")
    with always_eager(True):
        yield
