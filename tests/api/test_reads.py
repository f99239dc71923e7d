"""Lists and details: every resource, its ETag, constant queries, and who may see it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import (
    Allocation,
    Assessment,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
    Team,
    Visit,
    Worker,
)
from referrals.models import Contact, Referral
from tests.api.bulk import bulk_cases

RESOURCES = [
    ("child", Child),
    ("contact", Contact),
    ("referral", Referral),
    ("assessment", Assessment),
    ("strategy-discussion", StrategyDiscussion),
    ("s47-enquiry", Section47Enquiry),
    ("conference", ChildProtectionConference),
    ("cp-plan", ChildProtectionPlan),
    ("cin-plan", CINPlan),
    ("visit", Visit),
    ("allocation", Allocation),
    ("team", Team),
    ("worker", Worker),
]
CHILD_RESOURCES = [r for r in RESOURCES if r[1] not in (Team, Worker)]
# One audit row written per request about a child.
AUDIT_WRITES = 1


def list_queries(client, name: str) -> list[dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"api:{name}-list"))
    assert response.status_code == 200, response.content
    return captured.captured_queries


def test_each_list_costs_the_same_queries_for_10_and_1000_rows(hos, client_for):
    client = client_for(hos)
    bulk_cases(10)
    small = {name: len(list_queries(client, name)) for name, _ in RESOURCES}
    bulk_cases(990, start=10)
    for name, model in RESOURCES:
        assert model.objects.count() >= 1000, name
        captured = list_queries(client, name)
        assert len(captured) == small[name], name
        # SAVEPOINT and RELEASE (ATOMIC_REQUESTS inside the test's transaction), the count,
        # the page with its joins, the contacts' children (contacts only), the audit row.
        expected = (
            4 + (name == "contact") + (AUDIT_WRITES if (name, model) in CHILD_RESOURCES else 0)
        )
        assert len(captured) == expected, (name, [q["sql"][:100] for q in captured])


@pytest.mark.parametrize("name, model", RESOURCES, ids=[r[0] for r in RESOURCES])
def test_each_list_is_paginated_and_each_detail_has_an_etag(name, model, hos, client_for):
    bulk_cases(3)
    client = client_for(hos)
    listed = client.get(reverse(f"api:{name}-list"), {"page_size": 2}).json()
    assert listed["count"] == model.objects.count()
    assert len(listed["results"]) == 2 and listed["next"]
    row = listed["results"][0]
    detail = client.get(reverse(f"api:{name}-detail", args=[row["id"]]))
    assert detail.status_code == 200
    assert detail.json() == row
    if "version" in row:
        assert detail["ETag"] == f'"{row["version"]}"'


def test_lists_filter_by_query_string(hos, client_for):
    bulk_cases(3)
    client = client_for(hos)
    child = Child.objects.get(la_child_id="B000001")
    found = client.get(reverse("api:assessment-list"), {"child": child.pk}).json()
    assert [a["child"]["id"] for a in found["results"]] == [child.pk]
    refused = client.get(reverse("api:assessment-list"), {"child": "not-a-number"})
    assert refused.status_code == 400
    assert "child" in refused.json()


@pytest.mark.parametrize("name, model", CHILD_RESOURCES, ids=[r[0] for r in CHILD_RESOURCES])
def test_an_outsider_gets_404_for_another_teams_records(name, model, outsider, client_for):
    bulk_cases(2)
    client = client_for(outsider)
    row = model.objects.order_by("pk").first()
    assert client.get(reverse(f"api:{name}-detail", args=[row.pk])).status_code == 404
    assert client.get(reverse(f"api:{name}-list")).json()["count"] == 0


def test_the_allocated_worker_sees_their_child_and_no_other(allocated, sw, client_for):
    bulk_cases(2)
    listed = client_for(sw).get(reverse("api:child-list")).json()
    assert [c["id"] for c in listed["results"]] == [allocated.child_id]


def test_restricted_children_are_hidden_even_from_heads_of_service(hos, client_for):
    bulk_cases(2)
    child = Child.objects.order_by("pk").first()
    Child.objects.filter(pk=child.pk).update(is_restricted=True)
    response = client_for(hos).get(reverse("api:child-detail", args=[child.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["child", "referral", "team"])
def test_without_credentials_the_answer_is_401(name, db):
    from rest_framework.test import APIClient

    response = APIClient().get(reverse(f"api:{name}-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_ids_that_are_not_numbers_or_too_large_are_404(hos, client_for):
    client = client_for(hos)
    assert client.get("/api/v1/children/abc/").status_code == 404
    assert client.get("/api/v1/children/99999999999999999999999/").status_code == 404
    assert client.get("/api/v1/children/999999999999999999/").status_code == 404


def snapshots(n: int, *, start: int = 0) -> None:
    from datetime import date

    from django.utils import timezone

    from metrics.models import KpiSnapshot

    KpiSnapshot.objects.bulk_create(
        KpiSnapshot(
            kpi=f"kpi_{i:04d}",
            period="FY2024-25",
            period_start=date(2024, 4, 1),
            period_end=date(2025, 3, 31),
            scope_type="authority",
            numerator=i,
            denominator=1000,
            value=i / 1000,
            computed_at=timezone.now(),
            definition_version=1,
        )
        for i in range(start, start + n)
    )


def test_kpi_values_have_the_fields_and_values_of_the_kpi_values_command(hos, client_for):
    import json
    from io import StringIO

    from django.core.management import call_command

    snapshots(3)
    out = StringIO()
    call_command("kpi_values", period="FY2024-25", scope="authority", stdout=out)
    response = client_for(hos).get(
        reverse("api:kpi-list"), {"period": "FY2024-25", "scope": "authority"}
    )
    assert response.status_code == 200
    assert response.json()["results"] == json.loads(out.getvalue())


@pytest.mark.parametrize(
    "query", [{}, {"period": "nonsense"}, {"period": "FY2024-25", "scope": "team:99999999999"}]
)
def test_kpi_values_refuse_a_bad_period_or_scope_with_400(hos, client_for, query):
    assert client_for(hos).get(reverse("api:kpi-list"), query).status_code == 400


def test_kpi_values_cost_the_same_queries_for_10_and_1000_rows(hos, client_for):
    client, query = client_for(hos), {"period": "FY2024-25"}
    snapshots(10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("api:kpi-list"), query).status_code == 200
    snapshots(990, start=10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("api:kpi-list"), query).json()["count"] == 1000
    # SAVEPOINT, RELEASE, the count and the page.
    assert len(small) == len(large) == 4
