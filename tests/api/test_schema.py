"""The OpenAPI schema is generated, valid, and drf-spectacular has nothing to warn about."""

import pytest
import yaml
from django.core.management import call_command

from api.serializers import ChildOutput
from api.views.children import ChildUpdateInput
from casework.services.children import EDITABLE


def test_the_schema_is_valid_with_no_warnings(tmp_path, db):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert "/api/v1/assessments/{id}/authorise/" in paths
    assert "/api/v1/referrals/{id}/allocate/" in paths
    authorise = paths["/api/v1/assessments/{id}/authorise/"]["post"]
    assert {"400", "401", "403", "404", "409", "412", "428"} <= set(authorise["responses"])
    assert any(p["name"] == "If-Match" and p["required"] for p in authorise["parameters"])


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_the_schema_and_its_docs_are_served(client, db, url):
    assert client.get(url).status_code == 200


def test_a_child_shows_every_field_the_service_lets_change_and_accepts_no_other():
    shown = ChildOutput.Meta.fields
    assert shown == ["id", "la_child_id", *EDITABLE, "is_restricted", "version", "created_at",
                     "updated_at"]  # fmt: skip
    # A PATCH may send only fields child_update changes (else a 400 from the service).
    assert set(ChildUpdateInput().fields) <= set(EDITABLE)
