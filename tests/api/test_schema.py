"""The OpenAPI schema is generated, valid, and drf-spectacular has nothing to warn about."""

import pytest
import yaml
from django.core.management import call_command


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
