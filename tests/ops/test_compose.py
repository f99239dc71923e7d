"""The compose file is checked here because no Docker engine runs in CI."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_declares_every_production_service(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_each_long_running_service_has_a_health_check(compose, name):
    check = compose["services"][name]["healthcheck"]
    assert check["test"] and check["interval"] and check["retries"] >= 3


def test_web_serves_django_with_gunicorn_and_checks_readiness(compose):
    web = compose["services"]["web"]
    assert web["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert "/readyz" in " ".join(web["healthcheck"]["test"])


def test_worker_and_beat_run_the_celery_app(compose):
    assert compose["services"]["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert compose["services"]["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_app_services_wait_for_migrations(compose):
    assert compose["services"]["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_database_keeps_its_data_in_a_volume(compose):
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "pgdata" in compose["volumes"]


def test_every_setting_read_from_the_environment_is_in_env_example():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    names = set(
        re.findall(r'env\.(?:str|bool|int|list|path|db_url)\(\s*"([A-Z_]+)"', settings_text)
    )
    missing = sorted(n for n in names if n not in example)
    assert missing == []


def test_web_and_worker_share_the_media_volume(compose):
    # The worker writes returns exports to MEDIA_ROOT; web serves them for download.
    media_root = compose["x-app"]["environment"]["CASEFLOW_MEDIA_ROOT"]
    for name in ("web", "worker"):
        assert f"media:{media_root}" in compose["services"][name]["volumes"], name
    assert "media" in compose["volumes"]


def test_the_image_makes_the_media_directory_its_user_owns():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "mkdir -p /app/var/media" in dockerfile
    assert "VOLUME /app/var/media" in dockerfile
