"""Care leavers in the daily work: My work lists each pathway plan review due (constant
queries), and the child record shows the care leaver and the adoption plan."""

from datetime import date

from care.models import AdoptionPlan, CareLeaver, CarePeriod, LeaverContact
from tests.ui import builders


def _leavers(referrals):
    periods = CarePeriod.objects.bulk_create(
        [CarePeriod(child_id=r.child_id, referral=r, started_on=date(2022, 1, 3),
                    ended_on=date(2024, 9, 1), status="ceased", reason_ceased="E17")
         for r in referrals]
    )  # fmt: skip
    leavers = CareLeaver.objects.bulk_create(
        [CareLeaver(child_id=p.child_id, eligibility="former_relevant", personal_adviser="Sam",
                    pathway_plan_on=date(2024, 12, 2), next_pathway_review_due_on=date(2025, 6, 2))
         for p in periods]
    )  # fmt: skip
    builders.analyze()
    return periods, leavers


def test_my_work_lists_pathway_plan_reviews_in_constant_queries(alice, login):
    client = login(alice)
    _leavers(builders.caseload(alice.worker, 10, referred_on=date(2025, 3, 3)))
    body = client.get("/my-work/?kind=care_leaver").content.decode()
    assert body.count("Pathway plan review") >= 10
    small = builders.page_reads(client, "/my-work/")
    _leavers(builders.caseload(alice.worker, 300, referred_on=date(2025, 3, 3)))
    large = builders.page_reads(client, "/my-work/")
    assert small == large


def test_the_child_record_shows_the_care_leaver_and_the_adoption_plan(alice, login):
    client = login(alice)
    referrals = builders.caseload(alice.worker, 1, referred_on=date(2025, 3, 3))
    (period,), (leaver,) = _leavers(referrals)
    LeaverContact.objects.create(leaver=leaver, child_id=leaver.child_id,
                                 contacted_on=date(2025, 5, 1), in_touch="YES", activity="F2",
                                 accommodation="D1")  # fmt: skip
    AdoptionPlan.objects.create(child_id=period.child_id, period=period, status="reversed",
                                decided_on=date(2022, 5, 2), reversed_on=date(2023, 1, 9),
                                reversal_reason="RD3")  # fmt: skip
    body = client.get(f"/children/{period.child_id}/").content.decode()
    assert "Former relevant (18 to 25)" in body and "Sam" in body
    assert "next review due 2 June 2025" in body
    assert "Full time in other education" in body and "Semi-independent living: suitable" in body
    assert "Decision reversed" in body and "Prospective adopters could not be found" in body
