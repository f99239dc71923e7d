"""Every model has an admin page that works; case records cannot be edited or deleted there."""

from datetime import UTC, date, datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import AuditEvent, RestrictedAccess
from casework.admin import CaseRecordAdmin
from casework.models import (
    Allocation,
    AllocationReason,
    Assessment,
    CaseNote,
    CaseRecord,
    ChildPopulation,
    CINPlan,
    ClosureDay,
    CoreGroup,
    GeneratedHistory,
    Household,
    Visit,
    VisitKind,
)
from tests.casework import records

pytestmark = pytest.mark.django_db

APPS = {"accounts", "referrals", "casework"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def one_of_everything():
    """At least one row of every registered model, consistent with each other."""
    authority = records.authority()
    ChildPopulation.objects.create(authority=authority, year=2025, population=54000)
    ClosureDay.objects.create(date=date(2025, 10, 15), reason="Staff training day")
    worker = records.worker()
    household = Household.objects.create(reference="H1", postcode="AB1 2CD")
    referral = records.referral(
        referred_on=date(2025, 9, 1), child=records.child(household=household)
    )
    records.contact(received_at=datetime(2025, 9, 1, 9, 0, tzinfo=UTC))
    assessment = records.assessment(on=referral, worker=worker)
    s47 = records.s47(on=referral, started_on=date(2025, 9, 2))
    icpc = records.icpc(for_s47=s47, held_on=date(2025, 9, 19))
    plan = records.cp_plan(from_icpc=icpc)
    CoreGroup.objects.create(plan=plan, held_on=date(2025, 9, 26))
    CINPlan.objects.create(child=referral.child, referral=referral, started_on=date(2025, 9, 1))
    Visit.objects.create(
        child=referral.child,
        referral=referral,
        kind=VisitKind.ASSESSMENT,
        assessment=assessment,
        worker=worker,
        visited_on=date(2025, 9, 3),
        child_seen=True,
    )
    Allocation.objects.create(
        child=referral.child,
        referral=referral,
        worker=worker,
        team=worker.team,
        started_on=date(2025, 9, 1),
        reason=AllocationReason.NEW,
    )
    CaseNote.objects.create(
        child=referral.child,
        referral=referral,
        kind="phone",
        occurred_on=date(2025, 9, 2),
        text="Call",
    )
    GeneratedHistory.objects.create(
        scale="tiny", seed=1, started_on=date(2024, 4, 1), through=date(2025, 9, 3)
    )
    # accounts: an audit row and a restriction's details (the child is not yet flagged).
    AuditEvent.objects.create(
        child=referral.child, action="view", path="/", occurred_at=datetime(2025, 9, 3, tzinfo=UTC)
    )
    RestrictedAccess.objects.create(
        child=records.child(),
        reason="other",
        review_on=date(2025, 12, 1),
        set_by=records.administrator("restrictor"),
        set_at=datetime(2025, 9, 1, tzinfo=UTC),
    )


@pytest.fixture
def admin_client(client):
    client.force_login(records.administrator())
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_in_accounts_referrals_and_casework_is_registered():
    from django.apps import apps

    models = {
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    # Claimed one-time form tokens: plumbing of double-submit protection, purged nightly,
    # with nothing in them for an administrator to read or change.
    technical = {apps.get_model("casework", "UsedFormToken")}
    assert models - set(REGISTERED) - technical == set()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_a_superuser_can_open_the_list_search_add_and_change_pages(
    admin_client, one_of_everything, model
):
    model_admin = admin.site._registry[model]
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} row to open"

    assert admin_client.get(url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert admin_client.get(url(model, "changelist"), {"q": "1"}).status_code == 200
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200
    request = admin_client.get(url(model, "changelist")).wsgi_request
    expected_add = 200 if model_admin.has_add_permission(request) else 403
    assert admin_client.get(url(model, "add")).status_code == expected_add
    if isinstance(model_admin, SimpleHistoryAdmin):
        assert admin_client.get(url(model, "history", obj.pk)).status_code == 200


CASE_RECORDS = [model for model in REGISTERED if issubclass(model, CaseRecord)]


@pytest.mark.parametrize("model", CASE_RECORDS, ids=lambda model: model._meta.label)
def test_case_records_cannot_be_deleted_or_changed_in_the_admin(
    admin_client, one_of_everything, model
):
    obj = model._default_manager.order_by("pk").first()
    assert isinstance(admin.site._registry[model], CaseRecordAdmin)

    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert admin_client.get(url(model, "add")).status_code == 403
    response = admin_client.post(url(model, "change", obj.pk), {})
    assert response.status_code == 403
    assert model._default_manager.filter(pk=obj.pk).exists()


def test_adding_a_closure_day_in_the_admin_moves_open_deadlines(admin_client):
    assessment = records.assessment(on=records.referral(referred_on=date(2025, 9, 1)))

    response = admin_client.post(
        url(ClosureDay, "add"), {"date": "15/10/2025", "reason": "Staff training day"}
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.due_on == date(2025, 11, 4)


def test_a_closure_day_on_a_bank_holiday_is_refused_beside_the_date(admin_client):
    response = admin_client.post(
        url(ClosureDay, "add"), {"date": "25/12/2025", "reason": "Christmas"}
    )

    assert response.status_code == 200
    assert "already a bank holiday" in str(response.context["adminform"].form.errors["date"])
    assert ClosureDay.objects.count() == 0


def test_deleting_a_closure_day_in_the_admin_moves_open_deadlines_back(admin_client):
    from casework.timescales import closure_day_add

    assessment = records.assessment(on=records.referral(referred_on=date(2025, 9, 1)))
    closure = closure_day_add(date=date(2025, 10, 15), reason="Training", by=None)

    response = admin_client.post(url(ClosureDay, "delete", closure.pk), {"post": "yes"})

    assert response.status_code == 302
    assert ClosureDay.objects.count() == 0
    assessment.refresh_from_db()
    assert assessment.due_on == date(2025, 11, 3)


def test_changing_the_visit_standard_in_the_admin_goes_through_the_service(
    admin_client, one_of_everything
):
    from casework.models import Authority, ChildProtectionPlan

    authority = Authority.objects.get()
    data = {
        field: getattr(authority, field)
        for field in (
            "la_code",
            "name",
            "caseload_threshold",
            "weight_cp_plan",
            "weight_cin_plan",
            "weight_assessment",
            "weight_s47",
            "weight_court",
            "screening_standard_unit",
            "screening_standard_amount",
            "screening_clock_start",
        )
    }
    response = admin_client.post(
        url(Authority, "change", authority.pk), {**data, "cp_visit_standard_working_days": 5}
    )

    assert response.status_code == 302
    plan = ChildProtectionPlan.objects.get()
    assert plan.next_visit_due_on == date(2025, 9, 26)  # 5 working days after 19 September


def test_the_assessment_list_runs_the_same_queries_for_2_and_12_rows(admin_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url(Assessment, "changelist")).status_code == 200
        return len(captured)

    for _ in range(2):
        records.assessment(on=records.referral(referred_on=date(2025, 9, 1)))
    few = queries()
    for _ in range(10):
        records.assessment(on=records.referral(referred_on=date(2025, 9, 1)))
    assert queries() == few
