"""The care section of the child record (registered with casework.sections)."""

from care.models import AdoptionPlan
from care.selectors import care_section
from casework.sections import ChildRecordSection, register
from casework.selectors.next_steps import Offer, register_offers
from casework.selectors.worktray import register_kind

register(
    ChildRecordSection(
        "care/_child_record_section.html", lambda request, child: care_section(child)
    )
)


# The adoption plan's steps on the child record: each offered while the plan's state
# machine allows its transition (care.adoption decides it again when the form is sent).
# The placement order is not a transition: the service takes it while the decision can
# still be reversed (decided or matched), once.
register_offers(AdoptionPlan, [
    Offer("reverse", "adoption_record", "Record the placement order", "care_adoption_step",
          "placement-order", on_child=True, when=lambda plan: not plan.placement_order_on),
    Offer("match", "adoption_record", "Record the match with adopters", "care_adoption_step",
          "match", on_child=True),
    Offer("place", "adoption_record", "Record the placement with the adopters",
          "care_adoption_step", "placed", on_child=True),
    Offer("adopt", "adoption_record", "Record the adoption order", "care_adoption_step",
          "adopted", on_child=True),
    Offer("reverse", "adoption_record",
          "Record that the child should no longer be placed for adoption",
          "care_adoption_step", "reversed", on_child=True),
])  # fmt: skip


def _care_steps(children, today):
    """My work: each looked-after child's next review, visit, health assessment and PEP."""
    from care.models import CarePeriod
    from casework.selectors.worktray import _item

    periods = (
        CarePeriod.objects.current()
        .filter(child__in=children, status=CarePeriod.Status.LOOKED_AFTER)
        .select_related("child")
    )
    for p in periods:
        for due_on, what in (
            (p.next_review_due_on, "Looked-after review"),
            (p.next_visit_due_on, "Statutory visit"),
            (p.next_health_due_on, "Health assessment"),
            (p.next_pep_due_on, "Personal education plan"),
        ):
            if due_on:
                yield _item(CARE_KIND, p.child, due_on, today, what)


CARE_KIND = "care"
register_kind(CARE_KIND, "Child in care: review, visit, health or PEP", _care_steps)


def _leaver_steps(children, today):
    """My work: each care leaver's next pathway plan review (6-monthly)."""
    from django.urls import reverse

    from care.models import CareLeaver
    from casework.selectors.worktray import _item

    leavers = (
        CareLeaver.objects.current()
        .filter(child__in=children, next_pathway_review_due_on__isnull=False)
        .select_related("child")
    )
    for leaver in leavers:
        form = reverse("care_leaver_step", args=[leaver.child_id, "review"])
        yield _item(LEAVER_KIND, leaver.child, leaver.next_pathway_review_due_on, today,
                    "Pathway plan review", url=form)  # fmt: skip


LEAVER_KIND = "care_leaver"
register_kind(LEAVER_KIND, "Care leaver: pathway plan review", _leaver_steps)
