"""KPI pages: the one visibility rule on drill-downs, drill-downs for every KPI matching its
figure, targets, on-demand recompute, breakdowns and the caseload page."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Role, User
from casework.models import Worker
from metrics import periods as P
from metrics import selectors, services
from metrics.models import KpiComparator, KpiSnapshot, KpiTarget
from metrics.registry import FLOW, KPIS, RATE
from referrals.models import ContactChild
from tests.earlyhelp.builders import stepped_down_and_back
from tests.metrics import builders as b
from tests.metrics import care_builders as cb
from tests.metrics.conftest import TODAY
from tests.support.celery import tasks_in_process

pytestmark = pytest.mark.django_db

YEAR = "FY2024-25"


def _user(role, username=None, worker=None):
    user = User.objects.create_user(username=username or role, password="x", role=role)
    if worker is not None:
        Worker.objects.filter(pk=worker.pk).update(user=user)
    return user


def _team_world(team):
    """One team's year: a record behind every KPI's numerator and denominator."""
    w = b.worker(team)
    b.worker(team, fte="0.50")  # in post, holds nothing: a head count but not DfE FTE
    a, c, d, f = b.child(), b.child(), b.child(), b.child()

    contact = b.contact(b.at(date(2024, 6, 3)), [a, b.child()], decided=b.at(date(2024, 6, 3), 15))
    on_contact = ContactChild.objects.filter(contact=contact, child=a).first()
    first = b.referral(a, date(2024, 6, 4), nfa=True, closed_on=date(2024, 6, 5),
                       contact_child=on_contact)  # fmt: skip
    again = b.referral(a, date(2024, 9, 2))  # a re-referral within 12 months
    assessed = b.referral(c, date(2024, 6, 10))
    b.assessment(assessed, date(2024, 6, 11), authorised_on=date(2024, 7, 15), outcome="nfa")
    late = b.referral(b.child(), date(2024, 6, 10))
    b.assessment(late, date(2024, 6, 11), authorised_on=date(2024, 10, 15), outcome="cin_plan")
    for ref in (first, again, assessed, late):
        b.allocate(ref, w, ref.referred_on)

    # Plans: one short (ended within 3 months), a repeat for the same child, one open
    # for more than two years (visited in time), one ended after more than two years.
    short = b.cp_plan(c, date(2024, 6, 21), ended_on=date(2024, 8, 1), ref=assessed)
    b.review(short, due_on=date(2024, 7, 20), held_on=date(2024, 7, 19))
    b.cp_plan(c, date(2024, 10, 1), ref=assessed)
    long_open = b.cp_plan(d, date(2022, 1, 10))
    b.allocate(long_open.referral, w, date(2022, 1, 10))
    b.visit(long_open, date(2025, 3, 25), worker=w)
    long_ended = b.cp_plan(f, date(2022, 4, 1), ended_on=date(2024, 12, 2))
    b.allocate(long_ended.referral, w, date(2022, 4, 1), ended_on=date(2024, 12, 2))
    enquiry = b.s47(b.referral(b.child(), date(2024, 11, 4)), date(2024, 11, 4),
                    ended_on=date(2024, 11, 8), outcome="nfa")  # fmt: skip
    b.allocate(enquiry.referral, w, date(2024, 11, 4))
    b.referral(b.child(), date(2024, 11, 1))  # open, never allocated
    b.in_error(b.referral(b.child(), date(2024, 7, 1), nfa=True))
    stepped_down_and_back(a)  # early help: open at a's contact, referred again in September
    _care_world(w)
    return w


def _care_world(w):
    """Children in care: a period open all year and one that starts and ends in it."""
    in_care = cb.period(b.child(), date(2024, 5, 1), worker=w)
    cb.review(in_care, date(2024, 5, 29), date(2024, 5, 30))
    cb.visit(in_care, date(2024, 5, 7), date(2024, 5, 8))
    cb.health(in_care, "initial", date(2024, 5, 20), date(2024, 5, 30))
    cb.pep(in_care, date(2024, 5, 14), date(2024, 5, 15))
    cb.missing(in_care, date(2024, 8, 1))
    cb.period(b.child(), date(2024, 6, 1), ended_on=date(2024, 9, 1), worker=w)
    # Care leavers with a 20th and a 17th birthday in the year; an adoption in it.
    # Each left care before the birthday (the OC3 cohort, metrics.kpis.oc3).
    for born, left, contact in (
        (date(2004, 7, 1), date(2022, 7, 1), (20, "YES", "F2", "D1")),
        (date(2007, 8, 1), date(2024, 3, 1), (17, "YES", "G5", "V2")),
    ):
        leaver = b.child(date_of_birth=born)
        cb.period(leaver, date(born.year + 14, 1, 6), ended_on=left, worker=w)
        cb.care_leaver(leaver, w, contact)
    adopted = cb.period(b.child(date_of_birth=date(2022, 1, 5)), date(2023, 6, 1), place="A6",
                        ended_on=date(2024, 9, 2), worker=w, reason_ceased="E11")  # fmt: skip
    cb.adopted(adopted, order=date(2023, 10, 2), match=date(2024, 2, 1), placed=date(2024, 3, 1))


def _world(teams=1):
    b.authority(population={2024: 50_000})
    made = [b.team() for _ in range(teams)]
    workers = [_team_world(t) for t in made]
    services.kpi_snapshots_compute(
        periods=[P.parse(YEAR), P.parse(YEAR).previous(), P.parse("2025-03")], today=TODAY
    )
    return made, workers


@pytest.fixture
def hos(client):
    client.force_login(_user(Role.HEAD_OF_SERVICE))
    return client


def _csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _snap(code, scope_type="authority", scope_id=None, period=YEAR):
    return KpiSnapshot.objects.get(kpi=code, period=period, scope_type=scope_type,
                                   scope_id=scope_id)  # fmt: skip


@pytest.mark.parametrize("code", [k.code for k in KPIS if k.kind == FLOW])
def test_every_flow_kpi_drilldown_lists_its_numerator_and_denominator(hos, code):
    _world()
    snap = _snap(code)
    assert snap.denominator > 0
    numerator = _csv_rows(hos.get(f"/kpis/{code}/numerator/?period={YEAR}&format=csv"))
    assert len(numerator) == int(snap.numerator)
    page = hos.get(f"/kpis/{code}/denominator/?period={YEAR}")
    assert page.status_code == 200
    if next(k for k in KPIS if k.code == code).unit == RATE:
        assert page.context["drill"].population  # the population, not a list of children
    else:
        assert len(page.context["rows"]) == int(snap.denominator)


STOCKS = ["cp_open_2y_plus", "rate_cp_per_10k", "rate_cin_per_10k",
          "unallocated_cases", "caseload_per_worker", "caseload_dfe", "cla_count"]  # fmt: skip


@pytest.mark.parametrize("code", STOCKS)
def test_stock_and_caseload_drilldowns_count_what_their_snapshot_counts(hos, code):
    _world(2)
    snap = _snap(code)
    assert snap.numerator > 0
    numerator = hos.get(f"/kpis/{code}/numerator/?period={YEAR}")
    assert numerator.status_code == 200
    assert len(numerator.context["rows"]) == int(snap.numerator)
    denominator = hos.get(f"/kpis/{code}/denominator/?period={YEAR}")
    rows = denominator.context["rows"]
    if code.startswith("rate_"):
        assert denominator.context["drill"].population and rows == []
    elif code == "caseload_dfe":
        assert sum(Decimal(r[3]) for r in rows) == snap.denominator  # FTE, not head count
    else:
        assert len(rows) == int(snap.denominator)


@pytest.mark.parametrize("code", ["cp_open_2y_plus", "caseload_per_worker"])
def test_a_team_stock_drilldown_matches_the_team_snapshot(hos, code):
    teams, _ = _world(2)
    snap = _snap(code, "team", teams[1].pk)
    for part in ("numerator", "denominator"):
        url = f"/kpis/{code}/{part}/?period={YEAR}&scope=team:{teams[1].pk}&format=csv"
        assert len(_csv_rows(hos.get(url))) == int(getattr(snap, part))


def test_a_managers_drilldown_hides_other_teams_and_restricted_children_but_counts_them(client):
    teams, workers = _world(2)
    mine, other = teams
    hidden = b.child(is_restricted=True)
    b.allocate(b.referral(hidden, date(2024, 8, 1), nfa=True), workers[0], date(2024, 8, 1))
    services.kpi_snapshots_compute(periods=[P.parse(YEAR)], codes=["referrals_nfa"], today=TODAY)
    manager = _user(Role.TEAM_MANAGER, worker=b.worker(mine, role="team_manager"))
    mine.manager = manager.worker
    mine.save()
    client.force_login(manager)
    snap = _snap("referrals_nfa")
    assert snap.numerator == 3  # one per team and the restricted child: all counted
    page = client.get(f"/kpis/referrals_nfa/numerator/?period={YEAR}")
    assert page.status_code == 200
    listed = [row[0] for row in page.context["rows"]]
    nfa_kids = {r.child.la_child_id: r.child for r in selectors.drilldown(
        kpi="referrals_nfa", period=P.parse(YEAR), scope_type="authority", scope_id=None,
        numerator=True).rows}  # fmt: skip
    assert hidden.la_child_id in nfa_kids and hidden.la_child_id not in listed
    assert len(listed) == 1 and page.context["hidden"] == 2
    assert "2 records you cannot see are not listed" in page.content.decode()
    # Choosing another team's scope is refused; it is not offered.
    assert client.get(f"/kpis/?period={YEAR}&scope=team:{other.pk}").status_code == 403
    url = f"/kpis/referrals_nfa/numerator/?period={YEAR}&scope=team:{other.pk}"
    assert client.get(url).status_code == 403
    options = client.get(f"/kpis/?period={YEAR}").context["scope_options"]
    assert options == [("authority", "Whole authority"), (f"team:{mine.pk}", mine.name)]


def test_drilldown_children_shown_are_audited_and_exports_write_export_rows(hos):
    _world()
    page = hos.get(f"/kpis/referrals_nfa/denominator/?period={YEAR}")
    exported = _csv_rows(hos.get(f"/kpis/referrals_nfa/numerator/?period={YEAR}&format=csv"))
    shown = {row[0] for row in page.context["rows"]}
    assert len(page.context["rows"]) == 6 and len(shown) == 5  # a re-referred child
    events = AuditEvent.objects.select_related("child")
    # One row per child and action in a request, however many of its records are listed.
    viewed = [e.child.la_child_id for e in events.filter(action=AuditEvent.Action.VIEW)]
    assert sorted(viewed) == sorted(shown)
    exports = [e.child.la_child_id for e in events.filter(action=AuditEvent.Action.EXPORT)]
    assert exports == [r["child"] for r in exported] and len(exports) == 1


def test_a_head_of_service_sets_a_target_and_the_history_says_who(client):
    _world()
    henry = _user(Role.HEAD_OF_SERVICE, "henry")
    client.force_login(henry)
    assert client.get("/kpis/referrals_nfa/target/").status_code == 200
    response = client.post("/kpis/referrals_nfa/target/", {"value": "20", "amber_threshold": "30"})
    assert response.status_code == 302
    target = KpiTarget.objects.get(kpi="referrals_nfa")
    assert (target.value, target.amber_threshold, target.set_by) == (20, 30, henry)
    client.post("/kpis/referrals_nfa/target/", {"value": "18", "amber_threshold": "25"})
    history = client.get("/kpis/referrals_nfa/target/").context["history"]
    assert [(h.value, h.history_user) for h in history] == [(18, henry), (20, henry)]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "20", "amber_threshold": "10"}, "amber_threshold",
         services.AMBER_BELOW_TARGET),  # lower is better: amber must be above the target
        ({"value": "", "amber_threshold": "10"}, "value", "Enter target"),
        ({"value": "abc", "amber_threshold": "10"}, "value", "Target must be a number"),
        ({"value": "120", "amber_threshold": "130"}, "value", "between 0 and 100"),
    ],
)  # fmt: skip
def test_a_bad_target_is_reported_beside_the_field_and_nothing_is_saved(client, data, field,
                                                                        message):  # fmt: skip
    client.force_login(_user(Role.HEAD_OF_SERVICE))
    response = client.post("/kpis/referrals_nfa/target/", data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert f'id="id_{field}-error"' in response.content.decode() or "govuk-error-message" in (
        response.content.decode()
    )
    assert not KpiTarget.objects.exists()


def test_a_manager_cannot_set_targets(client):
    client.force_login(_user(Role.TEAM_MANAGER))
    assert client.get("/kpis/referrals_nfa/target/").status_code == 403
    assert client.post("/kpis/referrals_nfa/target/", {"value": "1", "amber_threshold": "2"}
                       ).status_code == 403  # fmt: skip
    assert not KpiTarget.objects.exists()


def test_an_administrator_edits_a_national_comparator_in_the_admin(client):
    admin = User.objects.create_superuser(username="root", password="x", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    comparator = KpiComparator.objects.get(kpi="assessments_45wd_dfe", label="England 2024-25")
    url = f"/admin/metrics/kpicomparator/{comparator.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kpi": comparator.kpi, "label": comparator.label,
                                 "kind": "england", "period_kind": "year",
                                 "period": "2024-25", "value": "86.1",
                                 "source": "DfE 2025"})  # fmt: skip
    assert response.status_code == 302
    comparator.refresh_from_db()
    assert comparator.value == Decimal("86.1") and comparator.source == "DfE 2025"


def test_a_target_set_in_the_admin_follows_the_target_rules(client):
    """KpiTargetAdmin goes through kpi_target_set: refused beside the field, else history."""
    admin = User.objects.create_superuser(username="root", password="x", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    url = "/admin/metrics/kpitarget/add/"
    # referrals_nfa: lower is better, so amber must sit above the target.
    refused = client.post(url, {"kpi": "referrals_nfa", "value": "20", "amber_threshold": "10"})
    assert refused.status_code == 200
    assert services.AMBER_BELOW_TARGET in refused.content.decode()
    assert not KpiTarget.objects.exists()
    saved = client.post(url, {"kpi": "referrals_nfa", "value": "20", "amber_threshold": "30"})
    assert saved.status_code == 302
    target = KpiTarget.objects.get(kpi="referrals_nfa")
    assert (target.value, target.amber_threshold, target.set_by) == (20, 30, admin)
    assert target.history.get().history_user == admin


def test_the_recompute_button_queues_the_job_and_shows_when_it_last_ran(
    client, django_capture_on_commit_callbacks
):
    _world()
    KpiSnapshot.objects.all().delete()
    client.force_login(_user(Role.HEAD_OF_SERVICE))
    page = client.get(f"/kpis/?period={YEAR}").content.decode()
    assert "Recalculate now" in page and "have not been calculated yet" in page
    with (
        tasks_in_process("the page is read for the recomputed figures straight after"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post("/kpis/recompute/", {"period": YEAR, "scope": "authority"})
    assert response.status_code == 302 and len(callbacks) == 1
    assert KpiSnapshot.objects.filter(kpi="referrals_nfa", scope_type="authority").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Recalculation queued" in page and "Figures last calculated" in page


def test_a_manager_cannot_recompute(client, django_capture_on_commit_callbacks):
    client.force_login(_user(Role.TEAM_MANAGER))
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post("/kpis/recompute/").status_code == 403
    assert callbacks == []
    assert client.get("/kpis/recompute/").status_code in (403, 405)


def test_the_kpi_page_has_team_and_worker_breakdowns_with_csv(hos):
    teams, workers = _world(2)
    response = hos.get(f"/kpis/referrals_nfa/?period={YEAR}")
    assert len(response.context["worker_breakdown"]) == 2
    assert {w.pk for w, _ in response.context["worker_breakdown"]} == {w.pk for w in workers}
    team_csv = _csv_rows(hos.get(f"/kpis/referrals_nfa/?period={YEAR}&format=csv&table=teams"))
    assert {r["team"] for r in team_csv} == {t.name for t in teams}
    assert {r["numerator"] for r in team_csv} == {
        str(_snap("referrals_nfa", "team", teams[0].pk).numerator.normalize())
    }
    worker_csv = _csv_rows(hos.get(
        f"/kpis/referrals_nfa/?period={YEAR}&format=csv&table=workers"))  # fmt: skip
    assert {int(r["worker_id"]) for r in worker_csv} == {w.pk for w in workers}
    for row in worker_csv:
        snap = _snap("referrals_nfa", "worker", int(row["worker_id"]))
        assert (row["numerator"], row["denominator"]) == ("1", "5")
        assert row["denominator"] == str(snap.denominator.normalize())


def test_the_caseload_page_shows_the_measures_side_by_side(hos):
    teams, workers = _world(2)
    response = hos.get("/kpis/caseload/?period=2025-03")
    assert response.status_code == 200
    headline = response.context["headline"]
    assert headline["caseload_per_worker"] == _snap("caseload_per_worker", period="2025-03")
    assert headline["caseload_dfe"].denominator == 2  # two 1.0 FTE workers holding cases
    assert headline["unallocated_cases"].numerator == 2
    rows = {r["team"].pk: r for r in response.context["team_rows"]}
    assert rows[teams[0].pk]["per_worker"].value == _snap(
        "caseload_per_worker", "team", teams[0].pk, period="2025-03").value  # fmt: skip
    per_worker = {r["worker"].pk: r for r in response.context["worker_rows"]}
    held = _snap("caseload_per_worker", "worker", workers[0].pk, period="2025-03")
    assert per_worker[workers[0].pk]["children"] == held.numerator == 5
    assert response.context["over_threshold"] == 0
    assert [m.name for m, _ in response.context["trend"]][-1] == "2025-03"
    assert "caseload_dfe" in response.context["trend"][-1][1]


def test_the_caseload_page_is_linked_from_the_head_of_service_home(client):
    from tests.ui import builders as ui

    ui.authority()
    client.force_login(ui.user_with_worker("henry", Role.HEAD_OF_SERVICE, ui.team()))
    assert 'href="/kpis/caseload/"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("polarity", "current", "previous", "expected"),
    [
        ("higher", 80, 70, ("up", "improving")),
        ("higher", 60, 70, ("down", "worsening")),
        ("lower", 60, 70, ("down", "improving")),
        ("lower", 80, 70, ("up", "worsening")),
        ("higher", 70, 70, ("same", "no change")),
        ("neutral", 80, 70, ("up", "")),
        ("higher", 80, None, ("", "")),
    ],
)
def test_direction_of_travel_respects_polarity(polarity, current, previous, expected):
    assert selectors._travel(current, previous, polarity) == expected


def test_the_dashboard_judges_travel_against_the_previous_period(hos):
    b.authority()
    team = b.team()
    w = b.worker(team)
    for month, nfa in ((7, [True, False]), (8, [True, True, True, False])):
        for flag in nfa:
            ref = b.referral(b.child(), date(2024, month, 5), nfa=flag)
            b.allocate(ref, w, date(2024, month, 5))
    services.kpi_snapshots_compute(periods=[P.parse("2024-08"), P.parse("2024-07")], today=TODAY)
    rows = {r["kpi"].code: r for r in hos.get("/kpis/?period=2024-08").context["rows"]}
    nfa = rows["referrals_nfa"]  # 50% -> 75%, lower is better
    assert (nfa["travel"], nfa["judgement"]) == ("up", "worsening")
    assert rows["rereferrals_12m"]["travel"] == "same"
