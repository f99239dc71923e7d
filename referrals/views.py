"""Front-door pages: contacts awaiting screening and the unallocated queue."""

from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from accounts.audit import audit_table_page
from accounts.permissions import can
from casework.timescales import screening_standard
from casework.views.access import managers_only
from referrals.selectors import contacts_awaiting_decision, unallocated_referrals
from referrals.tables import FrontDoorTable, UnallocatedTable


@managers_only
def front_door(request):
    contacts = contacts_awaiting_decision(user=request.user)
    standard = screening_standard()
    table = FrontDoorTable(
        contacts,
        today=timezone.localdate(),
        standard=standard,
        empty_text="No contacts are waiting for a decision.",
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    audit_table_page(request, table, children_of=_named_children)
    return render(request, "referrals/front_door.html", {"table": table, "standard": standard})


def _named_children(contact) -> list:
    # A sibling the user may not open is shown unnamed: no read of their record.
    return [cc.child for cc in contact.children.all() if cc.child_visible]


@managers_only
def unallocated(request):
    referrals = unallocated_referrals(user=request.user)
    table = UnallocatedTable(
        referrals,
        today=timezone.localdate(),
        empty_text="Every open case has an allocated worker.",
        # A role that may not allocate (the auditor) is not offered the link.
        exclude=() if can(request.user, "case_allocate") else ("allocate",),
    )
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    audit_table_page(request, table)
    return render(request, "referrals/unallocated.html", {"table": table})
