"""Care-leaver KPIs on the SSDA903 OC3 cohort: hand-built leavers with known answers.

Every young person below left care (or not) as the comment says; each counts, or not, in
2024-25 (1 April 2024 to 31 March 2025). The return's OC3 table for the 2025 return holds
the same young people, plus those the DfE's figures leave out (died, returned home).
"""

from datetime import date

import pytest

from care.models import CareLeaver, LeaverContact
from metrics import periods as P
from metrics import selectors
from metrics.returns import ssda903
from tests.metrics import builders as b
from tests.metrics import care_builders as c
from tests.metrics.conftest import figure

pytestmark = pytest.mark.django_db


def _leaver(born: date, left: date | None, contact=None, *, worker=None, reason="E8",
            eligibility="former_relevant", ls="C2", birthday_age=None):  # fmt: skip
    """A care leaver looked after from 15 to ``left`` (None: still looked after), with the
    contact (in touch, activity, accommodation) recorded for ``birthday_age``."""
    child = b.child(date_of_birth=born)
    c.period(child, born.replace(year=born.year + 15), ended_on=left, reason_ceased=reason, ls=ls)
    leaver = CareLeaver.objects.create(child=child, worker=worker, eligibility=eligibility)
    if contact is not None:
        in_touch, activity, accommodation = contact
        on = born.replace(year=born.year + birthday_age)
        LeaverContact.objects.create(
            leaver=leaver, child=child, contacted_on=on, birthday_age=birthday_age,
            birthday_on=on, in_touch=in_touch, activity=activity, accommodation=accommodation,
        )  # fmt: skip
    return child


@pytest.fixture
def leavers():
    b.authority()
    worker = b.worker()
    at_18 = {"reason": "E17"}
    kids = {
        # 19-21: the 21st birthday on the first and on the last day of the year.
        "first_day": _leaver(date(2003, 4, 1), date(2021, 4, 1), ("YES", "F5", "U1"),
                             birthday_age=21, worker=worker, **at_18),
        "last_day": _leaver(date(2004, 3, 31), date(2022, 3, 31), ("YES", "G5", "W2"),
                            birthday_age=21, **at_18),
        # 22 on the first day: the 21st was the first day of the year before.
        "turns_22": _leaver(date(2002, 4, 1), date(2020, 4, 1), ("YES", "F5", "U1"),
                            birthday_age=21, **at_18),
        "no_contact": _leaver(date(2005, 9, 1), date(2023, 9, 1), **at_18),
        "declined": _leaver(date(2004, 7, 1), date(2022, 7, 1), ("REFU", "", ""),
                            birthday_age=20, **at_18),
        "not_in_touch": _leaver(date(2005, 5, 1), date(2023, 5, 1), ("NO", "", ""),
                                birthday_age=19, **at_18),
        "part_time": _leaver(date(2005, 6, 1), date(2023, 6, 1), ("YES", "P2", "D2"),
                             birthday_age=19, **at_18),
        # Left out of the figures (the first two are still in the return).
        "died": _leaver(date(2004, 8, 1), date(2022, 8, 1), ("DIED", "", ""), birthday_age=20,
                        **at_18),
        "home": _leaver(date(2005, 8, 1), date(2023, 8, 1), ("RHOM", "", ""), birthday_age=19,
                        **at_18),
        "transferred": _leaver(date(2005, 10, 1), date(2023, 1, 1), reason="E3"),
        "qualifying": _leaver(date(2005, 11, 1), date(2023, 1, 1), eligibility="qualifying"),
        "short_breaks": _leaver(date(2005, 12, 1), date(2023, 1, 1), ls="V3"),
        # 17 and 18: only those who left care before the birthday.
        "left_at_16": _leaver(date(2007, 6, 1), date(2023, 12, 1), ("YES", "F2", "D1"),
                              birthday_age=17),
        "left_day_before_18": _leaver(date(2006, 12, 1), date(2024, 11, 30)),
        "left_on_18th": _leaver(date(2006, 10, 10), date(2024, 10, 10), ("YES", "F2", "D1"),
                                birthday_age=18, **at_18),
        "still_looked_after_17": _leaver(date(2007, 7, 1), None),
    }  # fmt: skip
    # Back in care over the 20th birthday: looked after then, so not in the cohort.
    again = b.child(date_of_birth=date(2004, 5, 1))
    c.period(again, date(2019, 5, 1), ended_on=date(2022, 5, 1), reason_ceased="E17")
    c.period(again, date(2024, 4, 1), ended_on=date(2024, 6, 1))
    CareLeaver.objects.create(child=again, eligibility="former_relevant")
    kids["looked_after_on_birthday"] = again
    return kids, worker


def test_19_to_21_count_the_oc3_rows_with_no_contact_as_not_in_touch(leavers):
    # Denominator: first_day, last_day, no_contact, declined, not_in_touch, part_time.
    assert figure("care_leavers_in_touch", "FY2024-25")[:2] == (3, 6)
    assert figure("care_leavers_eet_19_21", "FY2024-25")[:2] == (2, 6)  # F5, P2
    assert figure("care_leavers_suitable_accommodation_19_21", "FY2024-25")[:2] == (1, 6)


def test_17_and_18_count_only_those_who_left_care_before_the_birthday(leavers):
    assert figure("care_leavers_eet_17_18", "FY2024-25")[:2] == (1, 2)


def test_a_21st_birthday_on_the_period_boundary_counts_in_that_period_only(leavers):
    # 21 on 1 April 2024, the first day of 2024-25 (and of its first quarter and month).
    assert figure("care_leavers_in_touch", "2024-04")[:2] == (1, 1)
    assert figure("care_leavers_in_touch", "2024-Q1")[:2] == (2, 3)
    # 21 on 31 March 2025, the last day; their 20th birthday (no contact) a year before.
    assert figure("care_leavers_in_touch", "2024-Q4")[:2] == (1, 1)
    assert figure("care_leavers_in_touch", "2024-03")[:2] == (0, 1)
    # 22 on 1 April 2024: counted on their 21st, the first day of 2023-24, not in 2024-25.
    assert figure("care_leavers_in_touch", "2023-04")[:2] == (1, 2)  # with first_day's 20th
    # The worker holding the care leaver answers for them.
    _, worker = leavers
    assert figure("care_leavers_in_touch", "FY2024-25", ("worker", worker.pk))[:2] == (1, 1)


def test_the_return_and_the_kpis_count_the_same_young_people(leavers):
    kids, _ = leavers
    names = {child.la_child_id: name for name, child in kids.items()}
    rows = ssda903.build(2025).tables["OC3"]
    assert sorted(names[r["CHILD"]] for r in rows) == sorted([
        "first_day", "last_day", "no_contact", "declined", "not_in_touch", "part_time",
        "died", "home", "left_at_16", "left_day_before_18",
    ])  # fmt: skip
    by_name = {names[r["CHILD"]]: (r["IN_TOUCH"], r["ACTIV"], r["ACCOM"]) for r in rows}
    assert by_name["no_contact"] == ("NO", "0", "0")
    assert by_name["first_day"] == ("YES", "F5", "U1")
    drill = selectors.drilldown(kpi="care_leavers_in_touch", period=P.parse("FY2024-25"),
                                scope_type="authority", scope_id=None, numerator=False)  # fmt: skip
    listed = {names[leaver.child.la_child_id] for leaver in drill.rows}
    assert listed == {"first_day", "last_day", "no_contact", "declined", "not_in_touch",
                      "part_time"}  # fmt: skip
