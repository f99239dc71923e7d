from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from openpyxl import load_workbook

from accounts.models import Role, User
from casework.models import (
    Allocation,
    Assessment,
    ChildProtectionPlan,
    Section47Enquiry,
    Visit,
    VisitKind,
    Worker,
)
from metrics.returns import annex_a_codes as codes
from metrics.returns.annex_a import Window
from referrals.models import ContactChild, Referral, ScreeningDecision
from referrals.services import decide_close, episode_work
from tests.earlyhelp.builders import episode
from tests.factories import decided
from tests.returns import builders

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 3, 31)
START = date(2024, 10, 1)


@pytest.fixture
def annex(small_authority):
    kids = small_authority
    builders.contact(kids["unborn"], date(2025, 2, 3))
    builders.contact(kids["referral_nfa"], date(2024, 11, 12), source="6")
    builders.contact(kids["closed_nfa"], date(2025, 1, 20), decision=ScreeningDecision.EARLY_HELP)
    builders.contact(kids["closed_nfa"], date(2024, 9, 30))  # day before the window
    ref = Referral.objects.get(child=kids["unborn"])
    team, worker = builders.team_and_worker()
    Allocation.objects.create(
        child=ref.child,
        referral=ref,
        worker=worker,
        team=team,
        started_on=ref.referred_on,
        reason="new",
    )
    return kids


def _export(tmp_path, as_of="2025-03-31"):
    out = tmp_path / "a.xlsx"
    call_command("export_annex_a", "--as-of", as_of, "--out", str(out), stdout=StringIO())
    return load_workbook(out)


def _rows(wb, title) -> list[dict]:
    ws = wb[title]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def _by_child(wb, title) -> dict[str, dict]:
    return {r["Child Unique ID"]: r for r in _rows(wb, title)}


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def test_each_list_has_one_row_per_database_record(annex, tmp_path):
    wb = _export(tmp_path)
    rows = {ws.title: list(ws.iter_rows(min_row=2, values_only=True)) for ws in wb.worksheets}

    assert Window(AS_OF).start == START
    assert (
        len(rows["List 1 Contacts"])
        == ContactChild.objects.filter(
            contact__received_at__date__gte=START, contact__received_at__date__lte=AS_OF
        ).count()
        == 3
    )
    assert rows["List 2 Early Help"] == []
    assert (
        len(rows["List 3 Referrals"])
        == Referral.objects.current().filter(referred_on__range=(START, AS_OF)).count()
        == 2
    )
    open_in_window = Q(started_on__lte=AS_OF)
    assert (
        len(rows["List 4 Assessments"])
        == Assessment.objects.current()
        .filter(open_in_window, Q(authorised_on__isnull=True) | Q(authorised_on__gte=START))
        .count()
        == 1
    )
    assert (
        len(rows["List 5 Section 47"])
        == Section47Enquiry.objects.current()
        .filter(open_in_window, Q(ended_on__isnull=True) | Q(ended_on__gte=START))
        .count()
    )
    # cp_plan (open), unborn (open), s47_no_icpc (closed 10/01/2025); not the referral NFA.
    assert len(rows["List 6 Children in Need"]) == 3
    assert (
        len(rows["List 7 Child Protection"])
        == ChildProtectionPlan.objects.current()
        .filter(open_in_window, Q(ended_on__isnull=True) | Q(ended_on__gte=START))
        .count()
        == 1
    )


def test_list_2_is_empty_with_a_note_until_early_help_is_recorded(annex, tmp_path):
    """Fault: list 2 invented early help rows from contacts screened to early help."""
    wb = _export(tmp_path)

    assert _rows(wb, "List 2 Early Help") == []
    notes = " ".join(r["Note"] for r in _rows(wb, "Notes"))
    assert "List 2" in notes and "no early help assessments" in notes


def test_list_2_lists_early_help_assessments_from_early_help_records(annex, tmp_path):
    kids = annex
    assessed = episode(kids["closed_nfa"], date(2024, 10, 7), lead_agency="school",
                       assessment_started_on=date(2024, 10, 8),
                       assessment_completed_on=date(2025, 4, 20))  # fmt: skip
    coordinated = episode(kids["cp_plan"], date(2024, 2, 5), lead_agency="la_early_help",
                          assessment_started_on=date(2024, 2, 6),
                          assessment_completed_on=date(2024, 3, 1))  # fmt: skip
    episode(kids["referral_nfa"], date(2024, 2, 5), lead_agency="school",
            assessment_started_on=date(2024, 2, 6))  # fmt: skip  # before, partner-led
    episode(kids["s47_no_icpc"], date(2025, 3, 3))  # requested, not assessed

    wb = _export(tmp_path)

    rows = _by_child(wb, "List 2 Early Help")
    assert set(rows) == {assessed.child.la_child_id, coordinated.child.la_child_id}
    row = rows[assessed.child.la_child_id]
    assert _day(row["Assessment start date"]) == date(2024, 10, 8)
    assert row["Assessment completion date"] is None  # completed after the as-of date
    assert row["Organisation completing assessment"] == "School"
    assert rows[coordinated.child.la_child_id]["Organisation completing assessment"] == (
        "Local authority early help service"
    )
    notes = " ".join(r["Note"] for r in _rows(wb, "Notes"))
    assert "early help episodes" in notes


def test_columns_carry_ofsteds_lettered_values(annex, tmp_path):
    """Fault: gender 1/2/0, bare census codes and a disability code where Ofsted asks
    for its own words."""
    wb = _export(tmp_path)
    cp = _rows(wb, "List 7 Child Protection")[0]
    assert _day(cp["Child Protection Plan Start Date"]) == date(2024, 9, 4)
    assert cp["Gender"] == "b) Female"
    assert cp["Ethnicity"] == "a) WBRI"
    assert cp["Does the Child have a Disability"] == "b) No"
    assert cp["Initial Category of Abuse"] == "d) Emotional abuse"
    assert _day(cp["Date of latest review conference"]) == date(2024, 12, 4)
    referrals = _by_child(wb, "List 3 Referrals")
    unborn = referrals[annex["unborn"].la_child_id]
    assert unborn["Referral Source"] == "h) 3B: Health: health visitor"
    assert unborn["Gender"] == "c) Not stated/recorded" and unborn["Age"] == -1
    assert unborn["Date of Birth"] is None  # an expected date is after the as-of date
    assert unborn["Referral NFA?"] == "b) No"
    assert unborn["Allocated Team"].startswith("Assessment")
    assert unborn["Allocated Worker"] == "Alex Worker"
    police = referrals[annex["referral_nfa"].la_child_id]
    assert police["Referral Source"] == "q) 6: Police"
    assert police["Referral NFA?"] == "a) Yes"
    # Lists 1-3 have no disability column; 4-7 have it first after Age.
    assert "Does the Child have a Disability" not in referrals[annex["unborn"].la_child_id]
    header = [c.value for c in wb["List 4 Assessments"][1]]
    assert header.index("Does the Child have a Disability") == header.index("Age") + 1


def test_ofsted_value_mappings():
    assert codes.gender("M", unborn=False) == "a) Male"
    assert codes.gender("F", unborn=True) == "c) Not stated/recorded"
    assert codes.gender("U", unborn=False) == "c) Not stated/recorded"
    assert codes.ethnicity("NOBT") == "t) NOBT"
    assert codes.disability(["AUT", "LD"]) == "a) Yes"
    assert codes.disability(["NONE"]) == "b) No"
    assert codes.disability([]) == "c) Unknown"
    assert codes.source("5D") == "p1) 5D: LA services: early help"
    assert codes.source("10") == "u) 10: Unknown"
    assert codes.primary_need("N1") == "N1 - Abuse or neglect"
    assert codes.closure_reason("RC9").startswith("RC9 - ")


def test_no_date_in_any_list_is_after_the_as_of_date(annex, tmp_path):
    """Faults: list 7 plan end dates, list 4 authorisation dates and list 5 ICPC dates after
    the as-of date; children born later shown with their date of birth."""
    kids = annex
    # Assessment started in the window, authorised after the as-of date.
    late = builders.child(sex="M")
    r = builders.referral(late, date(2025, 3, 3))
    builders.assessment(r, date(2025, 3, 4), date(2025, 4, 14), outcome="cin_plan")
    # Section 47 started in the window, ICPC and plan after; visit after.
    s47, icpc = builders.s47(r, date(2025, 3, 20), icpc_on=date(2025, 4, 9))
    builders.cp_plan(icpc, end=date(2025, 9, 1))
    # The open CP plan ends after the as-of date, with a visit after it.
    plan = ChildProtectionPlan.objects.get(child=kids["cp_plan"])
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(ended_on=date(2025, 5, 2))
    Visit.objects.create(
        child=plan.child,
        referral=plan.referral,
        cp_plan=plan,
        kind=VisitKind.CP,
        visited_on=date(2025, 4, 2),
        child_seen=True,
        seen_alone=True,
    )
    # The unborn child is born after the as-of date; their episode closes after it too.
    kids["unborn"].date_of_birth = date(2025, 5, 20)
    kids["unborn"].save()
    # Its assessment is authorised after the as-of date too, and the episode then closed,
    # each as the services decide (the closure needs every assessment authorised).
    manager = User.objects.create_user(username="manager", role=Role.TEAM_MANAGER)
    open_then = Assessment.objects.get(child=kids["unborn"])
    decided.assessment_to(
        open_then, Assessment.Status.AUTHORISED, on=date(2025, 5, 30), by_id=manager.pk
    ).save()
    unborn = Referral.objects.get(child=kids["unborn"])
    decide_close(unborn, closed_on=date(2025, 6, 1), reason="RC7", work=episode_work(unborn))
    unborn.close()
    unborn.closed_on, unborn.closure_reason = date(2025, 6, 1), "RC7"
    unborn.save()

    wb = _export(tmp_path)

    later = [
        (ws.title, row[0], _day(v))
        for ws in wb.worksheets
        for row in ws.iter_rows(min_row=2, values_only=True)
        for v in row
        if isinstance(v, date | datetime) and _day(v) > AS_OF
    ]
    assert later == []
    late_s47 = _by_child(wb, "List 5 Section 47")[late.la_child_id]
    assert late_s47["Date of ICPC"] is None
    assert late_s47["Did the ICPC result in a Child Protection Plan?"] is None
    assert late_s47["Was an ICPC deemed unnecessary?"] is None
    late_assessment = _by_child(wb, "List 4 Assessments")[late.la_child_id]
    assert late_assessment["Continuous Assessment Date of Authorisation"] is None
    assert (
        late_assessment["Was the child assessed as requiring LA children's social care support?"]
        is None
    )
    cp = _by_child(wb, "List 7 Child Protection")[kids["cp_plan"].la_child_id]
    assert cp["Child Protection Plan End Date"] is None
    assert cp["Date of the Last Statutory Visit"] is None
    unborn = _by_child(wb, "List 6 Children in Need")[kids["unborn"].la_child_id]
    assert unborn["Date of Birth"] is None and unborn["Age"] == -1
    assert unborn["CIN Closure Date"] is None and unborn["Reason for Closure"] is None
    assert unborn["Case Status"] == "d) Open assessment"


def test_lists_6_and_7_include_records_closed_in_the_window(annex, tmp_path):
    """Faults: list 6 held only open episodes with empty closure columns; list 7 omitted
    plans ended in the period."""
    kids = annex
    ended = builders.child(sex="M")
    r = builders.referral(ended, date(2024, 6, 3))
    _, icpc = builders.s47(r, date(2024, 6, 4), icpc_on=date(2024, 6, 25))
    builders.cp_plan(icpc, end=date(2025, 2, 14), category="NEG")
    before = builders.child()
    r = builders.referral(before, date(2024, 1, 8))
    _, icpc = builders.s47(r, date(2024, 1, 9), icpc_on=date(2024, 1, 30))
    builders.cp_plan(icpc, end=date(2024, 9, 30))  # the day before the window

    wb = _export(tmp_path)

    cin = _by_child(wb, "List 6 Children in Need")
    closed = cin[kids["s47_no_icpc"].la_child_id]
    assert _day(closed["CIN Closure Date"]) == date(2025, 1, 10)
    assert closed["Reason for Closure"].startswith("RC7 - ")
    assert closed["Case Status"] == "e) Closed episode"
    assert cin[kids["cp_plan"].la_child_id]["Case Status"] == "b) Child Protection plan"
    assert kids["referral_nfa"].la_child_id not in cin  # referral-only
    assert kids["out_of_scope"].la_child_id not in cin
    cp = _by_child(wb, "List 7 Child Protection")
    assert _day(cp[ended.la_child_id]["Child Protection Plan End Date"]) == date(2025, 2, 14)
    assert cp[ended.la_child_id]["Initial Category of Abuse"] == "a) Neglect"
    assert before.la_child_id not in cp
    assert kids["cp_plan"].la_child_id in cp


def test_list_6_has_one_row_per_child_from_the_latest_episode(annex, tmp_path):
    child = annex["s47_no_icpc"]
    builders.referral(child, date(2025, 2, 17), primary_need="N4")

    rows = [
        r
        for r in _rows(_export(tmp_path), "List 6 Children in Need")
        if r["Child Unique ID"] == child.la_child_id
    ]

    assert len(rows) == 1
    assert _day(rows[0]["CIN Start Date"]) == date(2025, 2, 17)
    assert rows[0]["Primary Need Code"] == "N4 - Family in acute stress"


def test_allocated_worker_is_the_one_at_the_as_of_date(annex, tmp_path):
    """Fault: the allocated worker was today's, not the as-of date's."""
    ref = Referral.objects.get(child=annex["unborn"])
    first = Allocation.objects.get(referral=ref)
    first.ended_on = date(2025, 4, 10)
    first.save()
    team, _ = builders.team_and_worker()
    later = Worker.objects.create(
        staff_id="LATER",
        first_name="Lee",
        last_name="Later",
        team=team,
        role="social_worker",
        started_on=date(2020, 1, 1),
    )
    Allocation.objects.create(
        child=ref.child,
        referral=ref,
        worker=later,
        team=team,
        started_on=date(2025, 4, 10),
        reason="transfer",
    )

    wb = _export(tmp_path)

    child_id = annex["unborn"].la_child_id
    for title in ("List 3 Referrals", "List 4 Assessments", "List 6 Children in Need"):
        assert _by_child(wb, title)[child_id]["Allocated Worker"] == "Alex Worker", title
    after = _by_child(_export(tmp_path, "2025-04-30"), "List 3 Referrals")[child_id]
    assert after["Allocated Worker"] == "Lee Later"


def test_last_12_months_counts_exclude_the_rows_own_event(annex):
    from metrics.returns.annex_a import referrals

    child = annex["unborn"]
    builders.referral(child, date(2024, 3, 1), closed_on=date(2024, 3, 20))  # 11 months before
    builders.referral(child, date(2023, 12, 1), closed_on=date(2023, 12, 5))  # 14 months before

    row = next(r for r in referrals(Window(AS_OF)) if r.child_id == child.pk)
    assert row.referrals_12m == 1


def test_list_7_category_is_the_one_in_force_at_the_as_of_date(annex, tmp_path):
    """Fault: list 7's latest category was today's, so a category changed at a review after
    the as-of date was shown as if known then."""
    import time_machine

    from casework.services import review_record
    from metrics.returns.importer import import_user
    from tests.metrics.builders import at

    child = builders.child(sex="F")
    r = builders.referral(child, date(2024, 12, 2))
    _, icpc = builders.s47(r, date(2024, 12, 3), icpc_on=date(2024, 12, 20))
    with time_machine.travel(at(date(2024, 12, 20)), tick=False):
        plan = builders.cp_plan(icpc, category="NEG")
    with time_machine.travel(at(date(2025, 6, 2)), tick=False):
        review_record(plan=plan, by=import_user(), held_on=date(2025, 6, 2),
                      outcome="continue", latest_category="EMO")  # fmt: skip
    assert ChildProtectionPlan.objects.get(pk=plan.pk).latest_category == "EMO"

    before = _by_child(_export(tmp_path), "List 7 Child Protection")[child.la_child_id]
    after = _by_child(_export(tmp_path, "2025-06-30"), "List 7 Child Protection")
    assert before["Latest Category of Abuse"] == "a) Neglect"
    assert after[child.la_child_id]["Latest Category of Abuse"] == "d) Emotional abuse"
