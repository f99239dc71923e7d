"""Who may see which child: the single object-level rule (issue 8).

Every page, API endpoint, export, search and KPI drill-down that shows a child narrows
its rows through ``visible_children`` (children) or ``visible_to`` (rows about children),
so tightening access is a change here only. The rule is one SQL condition built from
subqueries on the user's id: building it runs no query, and filtering a list with it adds
none, whatever the list's size.

- social worker, team manager: children with a current allocation (not ended, not entered
  in error) to themselves or to a worker in their team (the team they work in or manage);
  a team manager also sees children whose open episode has no allocation yet (managers
  allocate from the unallocated queue); a front-door (MASH) team's manager also sees
  children on contacts awaiting a screening decision, and any manager the children on
  contacts they recorded themselves, until the contact is decided;
- head of service, auditor, administrator: every child;
- business support: children named on a contact (they record the front door), identity
  only: ``case_detail=True`` excludes them;
- a restricted child (``Child.is_restricted``) is seen only by the people on its access
  list (``RestrictedAccess.users``), whatever their role; being on the list is enough;
- a child entered in error is seen by administrators only.

How the rule is written so that a page's cost follows the user's caseload, not the
authority's size: see the comment above ``_access_list``.

Role-level rules beside it: the one role table (``PERMISSIONS`` for the operations on a
child's record that each service checks, ``GATES`` for every other page, figure or staff
record a role is let into), read through ``can``, ``require`` and ``role_may``; nothing
else compares a role with a set of roles (tests/architecture/test_one_rule.py).

Restricted children still count in KPI totals: KPIs count unfiltered, drill-downs filter.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import RestrictedAccess, Role, User
from casework import errors
from casework.codes import ClosureReason
from casework.errors import DomainPermissionError
from casework.models import Allocation, Child, ServiceArea, Team
from casework.predicates import allocation_ended_since, open_allocations, open_episodes
from casework.timescales import STEP_DOWN_REQUEST_DAYS

# URL keyword arguments that name a child: every URL pattern using one is guarded and
# audited by accounts.middleware.ChildAccessMiddleware and walked by the access tests.
CHILD_URL_KWARGS = ("child", "child_id", "child_pk")


# The role table. Role groups first: each names who a kind of gate lets through.
RECORDERS = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR}
)
MANAGERS = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})
DATA_ENTRY = RECORDERS | {Role.BUSINESS_SUPPORT}
KPI_OWNERS = frozenset({Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})
# Heads of service, auditors and administrators see every child (and every team).
EVERYONE_SEEING = frozenset({Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.ADMINISTRATOR})
# Auditors read what managers read, and change nothing on a child's record.
OVERSEERS = MANAGERS | {Role.AUDITOR}
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
EVERY_ROLE = frozenset(Role.values)

# Operations on a child's record: operation -> (roles allowed, words completing "does not
# allow you to ..."). Every service calls ``require``; views use ``can`` to hide buttons
# and casework.views.access.may to refuse a form. Care adds its own (care/permissions.py).
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    "child_create": (DATA_ENTRY, "add a child"),
    "child_update": (DATA_ENTRY, "change a child's details"),
    "contact_record": (DATA_ENTRY, "record a contact"),
    "contact_screen": (RECORDERS, "record a screening decision"),
    "referral_open": (RECORDERS, "open a referral"),
    "referral_close": (MANAGERS, "close an episode"),
    "referral_reopen": (MANAGERS, "reopen an episode"),
    "assessment_start": (RECORDERS, "start an assessment"),
    "assessment_record_child_seen": (RECORDERS, "record when the child was seen"),
    "assessment_complete": (RECORDERS, "complete an assessment"),
    "assessment_submit": (RECORDERS, "submit an assessment"),
    "assessment_return": (MANAGERS, "return an assessment"),
    "assessment_authorise": (MANAGERS, "authorise an assessment"),
    "strategy_discussion_record": (RECORDERS, "record a strategy discussion"),
    "s47_start": (RECORDERS, "start a section 47 enquiry"),
    "s47_submit_outcome": (RECORDERS, "record a section 47 outcome"),
    "s47_return_outcome": (MANAGERS, "return a section 47 outcome"),
    "s47_complete": (MANAGERS, "sign off a section 47 outcome"),
    "icpc_record": (RECORDERS, "record an initial conference"),
    "cp_plan_start": (RECORDERS, "start a child protection plan"),
    "cp_plan_end": (MANAGERS, "end a child protection plan outside a review"),
    "cp_plan_visit_standard_set": (MANAGERS, "vary a child protection plan's visit standard"),
    "review_record": (RECORDERS, "record a review conference"),
    "core_group_record": (RECORDERS, "record a core group"),
    "cin_plan_start": (RECORDERS, "start a child in need plan"),
    "cin_plan_end": (RECORDERS, "end a child in need plan"),
    "visit_record": (RECORDERS, "record a visit"),
    "case_note_record": (RECORDERS, "record a case note"),
    "case_allocate": (MANAGERS, "allocate a case"),
    "allocation_end": (MANAGERS, "end an allocation"),
    "record_mark_entered_in_error": (MANAGERS, "mark a record as entered in error"),
    # Early help (earlyhelp.services)
    "early_help_request": (RECORDERS, "request early help"),
    "early_help_record": (RECORDERS, "record early help work"),
    "early_help_close": (RECORDERS, "close an early help episode"),
    "early_help_step_up": (RECORDERS, "step a child up to children's social care"),
    # Restricted records (accounts.services)
    "child_restrict": (MANAGERS, "restrict a record"),
    # KPIs (metrics): heads of service and administrators run the figures and own targets.
    "kpi_recompute": (KPI_OWNERS, "recalculate the KPIs"),
    "kpi_target_set": (KPI_OWNERS, "set KPI targets"),
    # Any recording step on a case record: the step pages' check (each step's service
    # then checks its own operation, e.g. only managers authorise).
    "case_record": (RECORDERS, "record on a case"),
}

# Every other role gate: pages, figures, staff records and oversight work that is not an
# operation on a child's record (an auditor passes some of these, and none of the above).
GATES: dict[str, tuple[frozenset[str], str]] = {
    "see_every_child": (EVERYONE_SEEING, "see every child"),
    "case_detail_view": (EVERY_ROLE - {Role.BUSINESS_SUPPORT}, "see a child's case"),
    "kpis_view": (OVERSEERS, "see the KPIs"),
    "queues_view": (OVERSEERS, "see the queues and caseload boards"),
    "child_audit_view": (
        frozenset({Role.TEAM_MANAGER, Role.ADMINISTRATOR}),
        "see who viewed a child's record",
    ),
    "restrictions_manage": (ADMINISTRATORS, "manage restricted records"),
    # An administrator lifts any restriction; others only one whose access list has them.
    "restriction_lift_any": (ADMINISTRATORS, "lift a restriction you are not listed on"),
    "returns_run": (ADMINISTRATORS, "run the statutory returns"),
    "report_comment": (frozenset({Role.HEAD_OF_SERVICE}), "write the report's commentary"),
    # Workforce (issue 21): the establishment, staff supervision and case file audits.
    "workforce_view": (OVERSEERS | {Role.BUSINESS_SUPPORT}, "see the workforce pages"),
    "establishment_maintain": (MANAGERS | {Role.BUSINESS_SUPPORT}, "maintain the establishment"),
    "staff_supervise": (
        frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}),
        "record supervision",
    ),
    "case_file_audit": (OVERSEERS, "audit case files"),
}
assert not PERMISSIONS.keys() & GATES.keys(), "an operation is in both tables"


def roles_for(operation: str) -> frozenset[str]:
    return (PERMISSIONS.get(operation) or GATES[operation])[0]


def role_may(role: str | None, operation: str) -> bool:
    """The table's answer for a role alone (no user: templates, role walks, properties)."""
    return role in roles_for(operation)


def can(user, operation: str) -> bool:
    return bool(user and user.is_active and role_may(getattr(user, "role", None), operation))


def require(user, operation: str) -> None:
    if not can(user, operation):
        _, words = PERMISSIONS.get(operation) or GATES[operation]
        role = Role(user.role).label if user and user.role in Role.values else "none"
        raise DomainPermissionError(errors.ROLE_NOT_ALLOWED.format(role=role, action=words))


def can_view_case_detail(user: User) -> bool:
    """Business support record contacts: they may know a child exists, not their case.
    The nav reads the same gate (``user|can:"case_detail_view"``): a user without a role
    is let into neither."""
    return can(user, "case_detail_view")


def can_view_kpis(user: User) -> bool:
    """Aggregate figures are for managers and above; social workers use their worktray."""
    return bool(user is not None and user.is_authenticated and can(user, "kpis_view"))


def visible_children(
    user: User, queryset: QuerySet[Child] | None = None, *, case_detail: bool = False
) -> QuerySet[Child]:
    """``queryset`` (default: all children) narrowed to those ``user`` may open."""
    children = Child.objects.all() if queryset is None else queryset
    if not _may_see_children(user, case_detail=case_detail):
        return children.none()
    return _narrowed(user, children, "pk")


def can_view_child(user: User, child: Child | int, *, case_detail: bool = False) -> bool:
    pk = child if isinstance(child, int) else child.pk
    return visible_children(user, case_detail=case_detail).filter(pk=pk).exists()


def visible_to(
    user: User, queryset: QuerySet, *, child_field: str = "child", case_detail: bool = False
) -> QuerySet:
    """Rows about a child (referrals, visits, plans, audit events) the user may see."""
    if not _may_see_children(user, case_detail=case_detail):
        return queryset.none()
    return _narrowed(user, queryset, child_field)


def nameable_children(user: User, queryset: QuerySet[Child] | None = None) -> QuerySet[Child]:
    """Children ``user`` may name on a new contact: any current child (the front door
    records contacts about children whose records the recorder cannot open), except a
    restricted one they may not see, so that "no child found" reads the same for a
    restricted LA child ID as for one that does not exist.
    """
    children = Child.objects.current() if queryset is None else queryset
    return children.filter(Q(is_restricted=False) | Q(pk__in=visible_children(user).values("pk")))


def teams_of(user: User) -> QuerySet[Team]:
    """The teams a user works in or manages: whose children they see, where they allocate."""
    return Team.objects.filter(Q(workers__user=user.pk) | Q(manager__user=user.pk))


# How the rule is written (issue 25). PostgreSQL cannot drive a plan from
# ``(NOT is_restricted AND pk IN (...)) OR pk IN (...)``: an OR of subqueries is a filter
# it checks row by row, so pages read every child of the authority (1.06 million on the
# large one) to find a worker's twenty. The rule is therefore two sets, each of which an
# index finds, applied to the rows' own child column without joining the children:
# - the children the role reaches, with the user's access list: one UNION ALL of indexed
#   sets (allocations by worker and by team, early help, the front door...); none for the
#   roles that see every child;
# - the hidden few: restricted children not on the user's access list and children
#   entered in error (a partial index on casework_child holds exactly the restricted or
#   entered in error), left out with NOT IN.


def _may_see_children(user: User, *, case_detail: bool) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return not case_detail or can_view_case_detail(user)


def _narrowed(user: User, queryset: QuerySet, field: str) -> QuerySet:
    return queryset.filter(child_visible_q(user, field))


def child_visible_q(user: User, field: str = "child") -> Q:
    """The rule as a condition on a row's child column ``field`` (``"pk"`` on children),
    for a row set or an annotation (``child_visible``); never joins the children. The
    caller has checked the role may see children at all (``visible_to`` does)."""
    candidates = _candidate_children(user)
    if candidates is not None:
        rule = Q(**{f"{field}__in": candidates})
    elif field != "pk":
        rule = Q(**{f"{field}__isnull": False})
    else:
        rule = Q()
    return rule & ~Q(**{f"{field}__in": _hidden_children(user)})


def _access_list(user: User) -> QuerySet:
    """Children whose restriction lists ``user`` (restrictions not lifted)."""
    return (
        RestrictedAccess.users.through.objects.filter(
            user_id=user.pk, restrictedaccess__lifted_at__isnull=True
        )
        .order_by()
        .values("restrictedaccess__child")
    )


def _hidden_children(user: User) -> QuerySet:
    """The children ``user`` may not open whatever their role: restricted ones not on
    their access list, and (but for administrators) those entered in error."""
    listed = Q(pk__in=_access_list(user))
    if user.role == Role.ADMINISTRATOR:
        hidden = Child.objects.filter(is_restricted=True).exclude(listed)
    else:
        # Written as the partial index's condition, so the planner uses that index.
        hidden = Child.objects.filter(Q(is_restricted=True) | Q(entered_in_error=True)).exclude(
            listed & Q(entered_in_error=False)
        )
    return hidden.order_by().values("pk")


def _candidate_children(user: User) -> QuerySet | None:
    """The child ids the role reaches, with the access list, as one UNION ALL of
    indexed sets; None for roles that see every child."""
    sets = _role_sets(user)
    if sets is None:
        return None
    first, *others = [s.order_by().values_list(field, flat=True) for s, field in sets]
    return first.union(_access_list(user), *others, all=True)


def _awaiting_step_down(early_help_episodes, referrals) -> QuerySet:
    """Allocations ended by an RC9 closure in the last STEP_DOWN_REQUEST_DAYS whose episode
    no early help episode came from yet. Each test is on the allocation's own referral by
    its key, so a page reads the user's few ended allocations, never the referrals."""
    since = timezone.localdate() - timedelta(days=STEP_DOWN_REQUEST_DAYS)
    closed_rc9 = referrals.objects.filter(
        pk=OuterRef("referral"), closed_on=OuterRef("ended_on"), entered_in_error=False,
        closure_reason=ClosureReason.RC9,
    )  # fmt: skip
    stepped_down = early_help_episodes.objects.filter(
        from_referral=OuterRef("referral"), entered_in_error=False
    )
    return Allocation.objects.filter(
        allocation_ended_since(since), Exists(closed_rc9), ~Exists(stepped_down)
    )


def _role_sets(user: User) -> list[tuple[QuerySet, str]] | None:
    """(queryset, child id field) pairs whose union is the children the role reaches."""
    from earlyhelp.models import EarlyHelpEpisode
    from earlyhelp.predicates import open_early_help
    from referrals.models import Contact, ContactChild, Referral

    if role_may(user.role, "see_every_child"):
        return None
    on_contacts = ContactChild.objects.filter(contact__entered_in_error=False)
    if user.role == Role.BUSINESS_SUPPORT:
        return [(on_contacts, "child")]
    teams = teams_of(user).values("pk")
    current = open_allocations()
    open_eh = open_early_help()
    awaiting = _awaiting_step_down(EarlyHelpEpisode, Referral)
    # One indexed set per way in (worker, team, team's workers): an OR of them is a filter.
    sets = [
        (current.filter(worker__user=user.pk), "child"),
        (current.filter(team__in=teams), "child"),
        (current.filter(worker__team__in=teams), "child"),
        # Children with an open early help episode led by the user or their team.
        (open_eh.filter(worker__user=user.pk), "child"),
        (open_eh.filter(team__in=teams), "child"),
        # An episode just closed RC9 and not yet stepped down: its last worker and team
        # request the early help (earlyhelp.views.step_down_cin) after the closure ended
        # their allocation.
        (awaiting.filter(worker__user=user.pk), "child"),
        (awaiting.filter(team__in=teams), "child"),
    ]
    if user.role == Role.TEAM_MANAGER:
        # Managers allocate from the unallocated queue and decide at the front door.
        unallocated = open_episodes().exclude(pk__in=current.values("referral"))
        sets.append((unallocated, "child"))
        # Front-door (MASH) managers screen contacts, so they see the children on
        # contacts awaiting a decision; other managers do not.
        screens = Team.objects.filter(
            manager__user=user.pk, service_area=ServiceArea.FRONT_DOOR
        ).values("pk")
        awaiting = on_contacts.filter(contact__status=Contact.Status.AWAITING_DECISION)
        sets.append((awaiting.filter(Exists(screens)), "child"))
        # A manager who records a contact screens it: it is on their own front door.
        sets.append((awaiting.filter(contact__recorded_by=user.pk), "child"))
    return sets
