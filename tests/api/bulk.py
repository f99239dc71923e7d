"""Many rows at once (bulk_create) for list and query-count tests.

Rows are consistent enough to serialise, not a census-valid history: state that matters
for behaviour is built through the services in the other tests.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
from casework.transitions import status_after
from referrals.models import Contact, ContactChild, Referral

DAY = date(2025, 3, 3)
RECEIVED = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _each(model, rows, make):
    return model.objects.bulk_create([make(i, row) for i, row in enumerate(rows)])


def bulk_cases(n: int, *, start: int = 0) -> None:
    """``n`` children, each with one row of every kind of case record."""
    ids = range(start, start + n)
    teams = Team.objects.bulk_create(
        Team(name=f"Bulk team {i}", service_area="assessment") for i in ids
    )
    workers = _each(
        Worker,
        teams,
        lambda i, t: Worker(
            staff_id=f"B{start + i:06d}",
            first_name="Bulk",
            last_name=f"Worker {start + i}",
            team=t,
            role="social_worker",
            started_on=date(2020, 1, 1),
        ),
    )
    children = Child.objects.bulk_create(
        Child(
            la_child_id=f"B{i:06d}",
            first_name="Bulk",
            last_name=f"Child {i}",
            date_of_birth=date(2015, 1, 1),
            sex="F",
            disabilities=["NONE"],
        )
        for i in ids
    )
    contacts = Contact.objects.bulk_create(
        Contact(received_at=RECEIVED, source="6", reason="Bulk", screening_due_on=DAY) for _ in ids
    )
    ContactChild.objects.bulk_create(
        ContactChild(contact=contact, child=child)
        for contact, child in zip(contacts, children, strict=True)
    )
    referrals = _each(
        Referral, children, lambda i, c: Referral(child=c, referred_on=DAY, source="6")
    )
    pairs = list(zip(children, referrals, strict=True))

    def about(i, pair):
        return {"child": pair[0], "referral": pair[1]}

    _each(
        Assessment,
        pairs,
        lambda i, p: Assessment(
            **about(i, p), worker=workers[i], started_on=DAY, due_on=DAY, dfe_due_on=DAY
        ),
    )
    discussions = _each(
        StrategyDiscussion,
        pairs,
        lambda i, p: StrategyDiscussion(**about(i, p), held_on=DAY, s47_required=True),
    )
    s47s = _each(
        Section47Enquiry,
        pairs,
        lambda i, p: Section47Enquiry(
            **about(i, p), strategy_discussion=discussions[i], started_on=DAY, icpc_due_on=DAY
        ),
    )
    icpcs = _each(
        ChildProtectionConference,
        pairs,
        lambda i, p: ChildProtectionConference(
            **about(i, p),
            kind="initial",
            s47=s47s[i],
            due_on=DAY,
            held_on=DAY,
            status=status_after(ChildProtectionConference, "hold"),
        ),
    )
    plans = _each(
        ChildProtectionPlan,
        pairs,
        lambda i, p: ChildProtectionPlan(
            **about(i, p),
            icpc=icpcs[i],
            started_on=DAY,
            initial_category="NEG",
            latest_category="NEG",
            first_core_group_due_on=DAY,
        ),
    )
    _each(CINPlan, pairs, lambda i, p: CINPlan(**about(i, p), started_on=DAY))
    _each(
        Visit,
        pairs,
        lambda i, p: Visit(
            **about(i, p),
            kind="cp",
            cp_plan=plans[i],
            worker=workers[i],
            visited_on=DAY,
            child_seen=True,
        ),
    )
    _each(
        Allocation,
        pairs,
        lambda i, p: Allocation(
            **about(i, p), worker=workers[i], team=teams[i], started_on=DAY, reason="new"
        ),
    )
