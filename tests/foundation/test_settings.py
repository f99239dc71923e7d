import os
import re
import subprocess
import sys
from pathlib import Path

SETTINGS_CHECK = "import django; django.setup(); print('started')"


def _start(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **extra_env})
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_CHECK], env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({"DJANGO_DEBUG": "false"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x7" * 40})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_demo_defaults_to_sqlite_and_in_process_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL"} and not k.startswith("DJANGO_")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr


def test_production_refuses_the_env_example_placeholder_secret_key():
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    placeholder = re.search(r"^DJANGO_SECRET_KEY=(.+)$", example, re.M).group(1)
    assert len(placeholder) >= 50, "the placeholder must fail on its content, not its length"
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": placeholder})
    assert result.returncode != 0
    assert "placeholder" in result.stderr


def test_a_job_is_not_redelivered_while_it_may_still_be_running():
    from django.conf import settings

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_production_refuses_a_visibility_timeout_below_the_task_time_limit():
    result = _start(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "x7" * 40,
            "CELERY_TASK_TIME_LIMIT": "600",
            "CELERY_VISIBILITY_TIMEOUT": "300",
        }
    )
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must exceed" in result.stderr
