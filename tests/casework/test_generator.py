"""generate_authority (issue 5): deterministic, realistic, census-clean, safe to re-run.

The generated sample is built once per module inside a transaction that is rolled back at
the end, so each test reads the same authority without paying for it again.
"""

import contextlib
import hashlib
import json
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client

from accounts.models import Role, User
from casework.calendar import add_working_days
from casework.generator.engine import ALREADY_LOADED
from casework.models import (
    Allocation,
    Assessment,
    Authority,
    Child,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
    Worker,
    WorkerRole,
)
from referrals.models import Contact, ContactChild, Referral
from tests.casework.generator_rates import (
    ENGLAND_PER_10K,
    TARGETS,
    caseloads,
    rates_per_10k,
    realised_rates,
    unallocated_open,
)

pytestmark = pytest.mark.usefixtures("requires_postgres")

END = date(2025, 6, 30)
TINY = ["--scale", "tiny", "--end-date", END.isoformat()]
DIGESTED = {
    Referral: ["child_id", "referred_on", "source", "nfa", "status", "closed_on",
               "closure_reason", "primary_need"],
    Assessment: ["referral_id", "started_on", "authorised_on", "status", "outcome", "worker_id"],
    Contact: ["received_at", "source", "decided_at"],
    ChildProtectionPlan: ["child_id", "started_on", "ended_on", "initial_category"],
    Child: ["la_child_id", "first_name", "last_name", "date_of_birth", "sex", "upn"],
    Allocation: ["referral_id", "worker_id", "started_on", "ended_on", "reason"],
}  # fmt: skip


DEMO_LOGINS = {
    "sw": Role.SOCIAL_WORKER,
    "tm": Role.TEAM_MANAGER,
    "hos": Role.HEAD_OF_SERVICE,
    "admin": Role.ADMINISTRATOR,
}


class _Rollback(Exception):
    pass


def _digest() -> tuple[dict, str]:
    sha = hashlib.sha256()
    for model, fields in DIGESTED.items():
        for row in model.objects.order_by("pk").values_list("pk", *fields).iterator():
            sha.update(repr(row).encode())
    counts = {m.__name__: m.objects.count() for m in DIGESTED}
    return counts, sha.hexdigest()


def _generate_then_discard(*args) -> tuple[dict, str]:
    """Generate into the (empty) test database, digest it, and roll it all back."""
    with contextlib.suppress(_Rollback), transaction.atomic():
        call_command("generate_authority", *args, stdout=StringIO())
        result = _digest()
        raise _Rollback
    return result


def _schema() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                 FROM pg_constraint WHERE contype = 'f'
               UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes
                WHERE schemaname = 'public' ORDER BY 1, 2"""
        )
        return cursor.fetchall()


@pytest.fixture(scope="module")
def seed_7(django_db_setup, django_db_blocker) -> dict:
    """One tiny authority (seed 7, with --json) for the tests below that each generated
    their own: its digest, the schema before and while it is loaded, and what the command
    printed. Rolled back before any test reads it."""
    out = StringIO()
    with django_db_blocker.unblock():
        before = _schema()
        with contextlib.suppress(_Rollback), transaction.atomic():
            call_command("generate_authority", *TINY, "--seed", "7", "--json", stdout=out)
            loaded = {"digest": _digest(), "schema": _schema()}
            raise _Rollback
    return {"before": before, "printed": out.getvalue(), **loaded}


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_authority(seed_7):
    again = _generate_then_discard(*TINY, "--seed", "7")

    assert again[0]["Referral"] > 100
    assert again == seed_7["digest"]


@pytest.mark.django_db
def test_a_different_seed_generates_a_different_authority(seed_7):
    assert _generate_then_discard(*TINY, "--seed", "8")[1] != seed_7["digest"][1]


@pytest.mark.django_db
def test_bulk_loading_puts_back_every_foreign_key_and_index(seed_7):
    assert seed_7["schema"] == seed_7["before"]


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_an_authority():
    Authority.objects.create(la_code="123", name="Existing Borough")

    with pytest.raises(CommandError) as raised:
        call_command("generate_authority", *TINY, stdout=StringIO())

    assert str(raised.value) == ALREADY_LOADED.format(name="Existing Borough (123)")
    assert Referral.objects.count() == 0


def test_it_prints_time_memory_and_row_counts_as_json(seed_7):
    summary = json.loads(seed_7["printed"].strip().splitlines()[-1])
    assert summary["elapsed_s"] > 0 and summary["peak_rss_mb"] > 0
    assert summary["rows"]["referrals_referral"] > 100
    assert "Generated the tiny authority" in seed_7["printed"]


@pytest.mark.django_db
def test_loading_the_demo_twice_does_not_duplicate_it(demo_password, settings):
    settings.DEMO_PASSWORD = demo_password
    args = ["--scale", "tiny", "--end-date", END.isoformat()]
    call_command("load_demo", *args, stdout=StringIO())
    counts = {m: m.objects.count() for m in (Authority, Referral, Contact, Worker, Visit)}

    call_command("load_demo", *args, stdout=StringIO())

    assert {m: m.objects.count() for m in counts} == counts
    sw = Worker.objects.get(user__username="sw")
    tm = Worker.objects.get(user__username="tm")
    held = Allocation.objects.filter(worker=sw, ended_on__isnull=True, referral__status="open")
    assert held.count() >= 8
    assert sw.team.manager == tm and not sw.newly_qualified
    roles = dict(User.objects.filter(username__in=DEMO_LOGINS).values_list("username", "role"))
    assert roles == DEMO_LOGINS
    for username in DEMO_LOGINS:
        assert Client().login(username=username, password=demo_password), username
        assert not Client().login(username=username, password="not-the-demo-password")
    hos = Worker.objects.get(user__username="hos")
    assert hos.role == WorkerRole.HEAD_OF_SERVICE and hos.left_on is None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and not hasattr(admin, "worker")


# -- one medium-sized sample for the rates and the census rules ---------------------------


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    """Two years at the mean authority's volume (20,000 children on contacts a year)."""
    with django_db_blocker.unblock(), contextlib.suppress(_Rollback), transaction.atomic():
        call_command("generate_authority", "--scale", "medium", "--years", "2",
                     "--end-date", END.isoformat(), "--seed", "3", stdout=StringIO())  # fmt: skip
        yield
        raise _Rollback


@pytest.fixture
def db_sample(sample, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def test_realised_rates_are_within_their_bands(db_sample):
    rates = realised_rates(END)

    out_of_band = {
        name: (round(rates[name], 3), (lo, hi))
        for name, (_target, lo, hi) in TARGETS.items()
        if not lo <= rates[name] <= hi
    }
    assert out_of_band == {}


def test_caseloads_are_mostly_12_to_25_and_newly_qualified_workers_are_protected(db_sample):
    loads, newly_qualified = caseloads(END)
    unallocated, open_episodes = unallocated_open()

    in_range = sum(1 for n in loads if 12 <= n <= 25) / len(loads)
    assert in_range >= 0.6
    assert any(n > 25 for n in loads)
    assert all(n <= 18 for n in newly_qualified.values())
    assert 0 < unallocated < 0.1 * open_episodes
    holders = Worker.objects.filter(role__in=["social_worker", "senior_practitioner"])
    assert 0.07 <= holders.filter(employment="agency").count() / holders.count() <= 0.25


def _violations(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS v")
        return cursor.fetchone()[0]


CENSUS_RULES = {
    "overlapping episodes": """
        SELECT a.id FROM referrals_referral a JOIN referrals_referral b
          ON a.child_id = b.child_id AND a.id <> b.id
         AND b.referred_on >= a.referred_on
         AND (a.closed_on IS NULL OR b.referred_on <= a.closed_on)""",
    "more than one open episode": """
        SELECT child_id FROM referrals_referral WHERE status = 'open'
         GROUP BY child_id HAVING COUNT(*) > 1""",
    "closure date without reason": """
        SELECT id FROM referrals_referral
         WHERE (closed_on IS NULL) <> (closure_reason = '')
            OR (status = 'closed') <> (closed_on IS NOT NULL)""",
    "assessment before referral": """
        SELECT a.id FROM casework_assessment a JOIN referrals_referral r ON r.id = a.referral_id
         WHERE a.started_on < r.referred_on OR a.authorised_on < a.started_on""",
    "records after closure": """
        SELECT r.id FROM referrals_referral r
          LEFT JOIN casework_assessment a ON a.referral_id = r.id
          LEFT JOIN casework_visit v ON v.referral_id = r.id
         WHERE r.closed_on IS NOT NULL AND (a.authorised_on > r.closed_on
            OR a.status <> 'authorised' OR v.visited_on > r.closed_on)""",
    "open records in a closed episode": """
        SELECT r.id FROM referrals_referral r
          LEFT JOIN casework_section47enquiry s ON s.referral_id = r.id
          LEFT JOIN casework_childprotectionplan p ON p.referral_id = r.id
          LEFT JOIN casework_allocation al ON al.referral_id = r.id
         WHERE r.closed_on IS NOT NULL AND (s.status IN ('open', 'submitted')
            OR p.status = 'active'
            OR p.ended_on > r.closed_on OR (al.id IS NOT NULL AND al.ended_on IS NULL)
            OR al.ended_on > r.closed_on)""",
    "records before the referral": """
        SELECT r.id FROM referrals_referral r
          LEFT JOIN casework_strategydiscussion sd ON sd.referral_id = r.id
          LEFT JOIN casework_visit v ON v.referral_id = r.id
          LEFT JOIN casework_allocation al ON al.referral_id = r.id
          LEFT JOIN referrals_contactchild cc ON cc.id = r.contact_child_id
          LEFT JOIN referrals_contact c ON c.id = cc.contact_id
         WHERE sd.held_on < r.referred_on OR v.visited_on < r.referred_on
            OR al.started_on < r.referred_on
            OR (c.received_at AT TIME ZONE 'Europe/London')::date > r.referred_on""",
    "s47 after its ICPC": """
        SELECT s.id FROM casework_section47enquiry s
          JOIN casework_childprotectionconference c ON c.s47_id = s.id
         WHERE c.held_on < s.started_on OR s.ended_on > c.held_on""",
    "ICPC on a non-working day": """
        SELECT c.id FROM casework_childprotectionconference c
          JOIN casework_workingday d ON d.date = c.held_on OR d.date = c.due_on
         WHERE NOT d.is_working_day""",
    "plan not starting on its ICPC": """
        SELECT p.id FROM casework_childprotectionplan p
          JOIN casework_childprotectionconference c ON c.id = p.icpc_id
         WHERE c.held_on <> p.started_on OR c.outcome <> 'plan'""",
    "CIN plan concurrent with a CP plan": """
        SELECT c.id FROM casework_cinplan c JOIN casework_childprotectionplan p
          ON p.child_id = c.child_id
         WHERE c.started_on <= COALESCE(p.ended_on, DATE '9999-12-31')
           AND p.started_on <= COALESCE(c.ended_on, DATE '9999-12-31')""",
    "overlapping CP plans": """
        SELECT a.id FROM casework_childprotectionplan a JOIN casework_childprotectionplan b
          ON a.child_id = b.child_id AND a.id <> b.id AND b.started_on >= a.started_on
         AND (a.ended_on IS NULL OR b.started_on < a.ended_on)""",
    "overlapping s47 enquiries": """
        SELECT a.id FROM casework_section47enquiry a JOIN casework_section47enquiry b
          ON a.child_id = b.child_id AND a.id <> b.id AND b.started_on >= a.started_on
         AND (a.ended_on IS NULL OR b.started_on <= a.ended_on)""",
    "factor 21 with other factors or without NFA": """
        SELECT id FROM casework_assessment
         WHERE factors @> '["21"]'::jsonb
           AND (jsonb_array_length(factors) > 1 OR outcome <> 'nfa')""",
    "authorised assessment without factors": """
        SELECT id FROM casework_assessment
         WHERE status = 'authorised' AND jsonb_array_length(factors) = 0""",
    "overlapping assessments": """
        SELECT a.id FROM casework_assessment a JOIN casework_assessment b
          ON a.child_id = b.child_id AND a.id <> b.id AND b.started_on >= a.started_on
         AND (a.authorised_on IS NULL OR b.started_on <= a.authorised_on)""",
    "CP visit outside its plan": """
        SELECT v.id FROM casework_visit v JOIN casework_childprotectionplan p
          ON p.id = v.cp_plan_id
         WHERE v.visited_on < p.started_on OR v.visited_on > p.ended_on""",
    "unborn child without expected date or UN8": """
        SELECT id FROM casework_child WHERE sex = 'U' AND (expected_date_of_birth IS NULL
            OR date_of_birth IS NOT NULL OR upn_unknown_reason <> 'UN8' OR upn <> '')""",
    "assessment authorised before the child was seen": """
        SELECT id FROM casework_assessment WHERE authorised_on IS NOT NULL
           AND (child_seen_on IS NULL OR child_seen_on > authorised_on)""",
    "decision on a weekend": """
        SELECT x.d FROM (
            SELECT authorised_on AS d FROM casework_assessment
            UNION ALL SELECT held_on FROM casework_strategydiscussion
            UNION ALL SELECT started_on FROM casework_childprotectionplan
            UNION ALL SELECT ended_on FROM casework_section47enquiry
            UNION ALL SELECT referred_on FROM referrals_referral) x
          JOIN casework_workingday w ON w.date = x.d WHERE NOT w.is_working_day""",
    "worker allocated outside employment": """
        SELECT al.id FROM casework_allocation al JOIN casework_worker w ON w.id = al.worker_id
         WHERE al.started_on < w.started_on OR al.started_on > w.left_on
            OR COALESCE(al.ended_on, DATE '9999-12-31') > COALESCE(w.left_on, '9999-12-31')""",
    "newly qualified worker over the limit": """
        SELECT al.worker_id FROM casework_allocation al JOIN casework_worker w
          ON w.id = al.worker_id
         WHERE w.newly_qualified AND al.ended_on IS NULL
         GROUP BY al.worker_id HAVING COUNT(*) > 18""",
}


@pytest.mark.parametrize("rule", sorted(CENSUS_RULES))
def test_no_census_rule_is_broken(db_sample, rule):
    assert _violations(CENSUS_RULES[rule]) == 0


def test_due_dates_are_counted_on_the_working_day_calendar(db_sample):
    for a in Assessment.objects.select_related("referral").order_by("pk")[:300]:
        assert a.due_on == add_working_days(a.referral.referred_on, 45)
        assert a.dfe_due_on == add_working_days(a.started_on, 45)
    for s in Section47Enquiry.objects.order_by("pk")[:300]:
        assert s.icpc_due_on == add_working_days(s.started_on, 15)
        assert s.strategy_discussion.held_on == s.started_on
    for p in ChildProtectionPlan.objects.order_by("pk")[:300]:
        assert p.first_core_group_due_on == add_working_days(p.started_on, 10)
    for c in Contact.objects.order_by("pk")[:300]:
        received = c.received_at.astimezone(c.received_at.tzinfo).date()
        assert c.screening_due_on >= received


def _spread(model, n: int = 40):
    """``n`` records spread evenly over the table, first and last included: the same
    records on every run (full_clean queries each foreign key, so not all of them)."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, (len(pks) - 1) // (n - 1))
    chosen = {*pks[::step][: n - 1], *pks[-1:]}
    return model.objects.filter(pk__in=chosen).order_by("pk")


def test_sampled_records_pass_model_validation(db_sample):
    models = [Child, Contact, Referral, Assessment, StrategyDiscussion, Section47Enquiry,
              ChildProtectionConference, ChildProtectionPlan, CINPlan, Visit, Allocation,
              Worker]  # fmt: skip
    for model in models:
        records = list(_spread(model))
        assert len(records) >= min(model.objects.count(), 40), model.__name__
        for record in records:
            record.full_clean(validate_unique=False, validate_constraints=False)


def test_every_record_has_one_creation_history_row(db_sample):
    for model in (Referral, Assessment, Visit, ChildProtectionPlan, Worker):
        created = model.history.filter(history_type="+").values("id").distinct().count()
        assert created == model.objects.count()
    for model in (Referral, Assessment, Visit, ChildProtectionPlan):
        assert set(model.objects.values_list("version", flat=True).distinct()) == {1}
    # Created unborn (expected date), then born: the birth replaces the expected date, as
    # child_update requires (a date of birth or an expected date, not both).
    created_unborn = Child.history.filter(history_type="+", expected_date_of_birth__isnull=False)
    born_later = Child.objects.filter(pk__in=created_unborn.values("id"),
                                      date_of_birth__isnull=False)  # fmt: skip
    assert not born_later.filter(expected_date_of_birth__isnull=False).exists()
    assert born_later.exists() and set(born_later.values_list("version", flat=True)) == {2}


def test_a_generated_category_change_is_in_the_plans_history_on_the_review_day(db_sample):
    """Annex A list 7 and the report read the category as at a date from the history."""
    from metrics.report_breakdowns import category_in_force

    changed = ChildProtectionPlan.objects.exclude(latest_category=F("initial_category"))
    plan = changed.order_by("pk").first()
    assert plan is not None
    created, later = plan.history.order_by("history_date", "history_id")
    assert (created.history_type, created.latest_category) == ("+", plan.initial_category)
    assert (later.history_type, later.latest_category) == ("~", plan.latest_category)
    day_before = later.history_date.date() - timedelta(days=1)
    as_of = ChildProtectionPlan.objects.filter(pk=plan.pk)
    assert as_of.annotate(c=category_in_force(day_before)).get().c == plan.initial_category
    assert as_of.annotate(c=category_in_force(later.history_date.date())).get().c == (
        plan.latest_category
    )


def test_contacts_come_in_sibling_groups_and_children_carry_valid_identifiers(db_sample):
    sizes = ContactChild.objects.values("contact_id").annotate(n=Count("id"))
    assert max(row["n"] for row in sizes) >= 4
    for upn in Child.objects.exclude(upn="").values_list("upn", flat=True)[:500]:
        assert re.fullmatch(r"[A-Z]\d{12}", upn)


@pytest.mark.django_db
def test_the_tiny_authority_sits_within_englands_rates_per_10000_children():
    """Referrals and s47s in the year, children in need, on CP plans and looked after at
    31 March, per 10,000 children: within England's range (domain.md; DfE 2024-25). Children
    in need come from episodes lasting as real ones do (CIN plans of months, some over a
    year): with 110-day plans the demo had 165 per 10,000."""
    call_command("generate_authority", "--scale", "tiny", "--end-date", "2025-03-31",
                 stdout=StringIO())  # fmt: skip

    rates = rates_per_10k(2024)

    outside = {
        name: (rates[name], band)
        for name, band in ENGLAND_PER_10K.items()
        if not band[0] <= rates[name] <= band[1]
    }
    assert outside == {}
