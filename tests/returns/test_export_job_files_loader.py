"""metrics migration 0009 turns the old JSON export job files into rows: a good file
becomes one row, a file with nulls the old writer left becomes a row with empty values,
and a file that is not a job is logged and skipped, never stopping ``migrate`` and never
leaving half a row (issue 18 review)."""

import importlib
import json
import logging
from datetime import date

import pytest
from django.apps import apps

from accounts.models import Role, User
from metrics.returns.models import ReturnExportJob

pytestmark = pytest.mark.django_db
loader = importlib.import_module("metrics.migrations.0009_return_export_job")

GOOD = {
    "kind": "annex_a", "year": 2025, "as_of": "2025-03-31", "status": "done",
    "requested_by": "admin", "requested_at": "2025-04-02T09:30:00+00:00",
    "finished_at": "2025-04-02T09:31:00+00:00", "file": "annex-a-2025-03-31.xlsx",
    "children": 12, "findings": [],
}  # fmt: skip


@pytest.fixture
def jobs_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "returns" / "jobs"
    folder.mkdir(parents=True)
    return folder


def _load(folder, files: dict):
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (folder / name).write_text(text)
    loader.load_json_jobs(apps, None)


def test_a_good_file_becomes_one_row_with_its_own_times(jobs_folder):
    admin = User.objects.create_user(username="admin", role=Role.ADMINISTRATOR)
    _load(jobs_folder, {"a.json": GOOD})
    job = ReturnExportJob.objects.get()
    assert (job.kind, job.as_of, job.status, job.children) == ("annex_a", date(2025, 3, 31),
                                                              "done", 12)  # fmt: skip
    assert job.requested_by == admin and job.file == "annex-a-2025-03-31.xlsx"
    assert job.requested_at.isoformat() == "2025-04-02T09:30:00+00:00"


def test_nulls_the_old_writer_left_are_empty_values(jobs_folder):
    unfinished = {**GOOD, "status": "running", "file": None, "children": None,
                  "finished_at": None, "findings": None}  # fmt: skip
    _load(jobs_folder, {"b.json": unfinished})
    job = ReturnExportJob.objects.get()
    assert (job.file, job.children, job.findings) == ("", 0, [])
    assert job.status == "failed" and job.error == "Did not finish"


@pytest.mark.parametrize(
    "bad",
    [
        "not json {",
        "[1, 2]",
        json.dumps({**GOOD, "requested_at": "yesterday"}),
        json.dumps({**GOOD, "requested_at": None}),
        json.dumps({key: v for key, v in GOOD.items() if key != "year"}),
        json.dumps({**GOOD, "children": "many"}),
        json.dumps({**GOOD, "kind": "ssda903"}),
    ],
)
def test_a_file_that_is_not_a_job_is_skipped_and_logged_and_writes_nothing(
    jobs_folder, caplog, bad
):
    with caplog.at_level(logging.WARNING):
        _load(jobs_folder, {"0-bad.json": bad, "1-good.json": GOOD})
    assert ReturnExportJob.objects.count() == 1  # the good one, none of the bad
    assert ReturnExportJob.objects.get().requested_at.isoformat().startswith("2025-04-02")
    assert "0-bad.json skipped" in caplog.text
