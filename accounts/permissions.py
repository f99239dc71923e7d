"""Who may see which child: the single object-level rule (issue 8).

Every page, API endpoint, export, search and KPI drill-down that shows a child narrows
its rows through ``visible_children`` (children) or ``visible_to`` (rows about children),
so tightening access is a change here only. The rule is one SQL condition built from
``EXISTS`` subqueries on the user's id: building it runs no query, and filtering a list
with it adds none, whatever the list's size.

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

Role-level rules beside it: ``can_view_case_detail`` (pages, API endpoints about a case,
not just who a child is) and ``can_view_kpis`` (aggregate figures).

Restricted children still count in KPI totals: KPIs count unfiltered, drill-downs filter.
"""

from __future__ import annotations

from django.db.models import Exists, Q, QuerySet

from accounts.models import RestrictedAccess, Role, User
from casework.models import Child, ServiceArea, Team
from casework.predicates import open_allocations

# URL keyword arguments that name a child: every URL pattern using one is guarded and
# audited by accounts.middleware.ChildAccessMiddleware and walked by the access tests.
CHILD_URL_KWARGS = ("child", "child_id", "child_pk")


def can_view_case_detail(user: User) -> bool:
    """Business support record contacts: they may know a child exists, not their case."""
    return getattr(user, "role", None) != Role.BUSINESS_SUPPORT


def can_view_kpis(user: User) -> bool:
    """Aggregate figures are for managers and above; social workers use their worktray."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.sees_everything or user.is_manager)
    )


def visible_children(
    user: User, queryset: QuerySet[Child] | None = None, *, case_detail: bool = False
) -> QuerySet[Child]:
    """``queryset`` (default: all children) narrowed to those ``user`` may open."""
    children = Child.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return children.none()
    if case_detail and not can_view_case_detail(user):
        return children.none()
    return children.filter(_rule(user))


def can_view_child(user: User, child: Child | int, *, case_detail: bool = False) -> bool:
    pk = child if isinstance(child, int) else child.pk
    return visible_children(user, case_detail=case_detail).filter(pk=pk).exists()


def visible_to(
    user: User, queryset: QuerySet, *, child_field: str = "child", case_detail: bool = False
) -> QuerySet:
    """Rows about a child (referrals, visits, plans, audit events) the user may see."""
    children = visible_children(user, case_detail=case_detail).values("pk")
    return queryset.filter(**{f"{child_field}__in": children})


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


def _rule(user: User) -> Q:
    # Uncorrelated ``pk IN (subquery)`` conditions: PostgreSQL runs each subquery once
    # (a hashed subplan) instead of once per child row, which keeps a count over a big
    # authority in milliseconds.
    on_access_list = Q(
        pk__in=RestrictedAccess.users.through.objects.filter(
            user_id=user.pk, restrictedaccess__lifted_at__isnull=True
        ).values("restrictedaccess__child")
    )
    by_role = Q(is_restricted=False) & _role_rule(user)
    rule = by_role | on_access_list
    if user.role != Role.ADMINISTRATOR:
        rule &= Q(entered_in_error=False)
    return rule


def _role_rule(user: User) -> Q:
    from referrals.models import Contact, ContactChild, Referral

    if user.role in {Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.ADMINISTRATOR}:
        return Q()
    on_contacts = ContactChild.objects.filter(contact__entered_in_error=False)
    if user.role == Role.BUSINESS_SUPPORT:
        return Q(pk__in=on_contacts.values("child"))
    teams = teams_of(user).values("pk")
    current = open_allocations()
    rule = Q(
        pk__in=current.filter(
            Q(worker__user=user.pk) | Q(team__in=teams) | Q(worker__team__in=teams)
        ).values("child")
    )
    rule |= _early_help_rule(user, teams)
    if user.role == Role.TEAM_MANAGER:
        # Managers allocate from the unallocated queue and decide at the front door.
        unallocated = (
            Referral.objects.filter(status=Referral.Status.OPEN, entered_in_error=False)
            .exclude(pk__in=current.values("referral"))
            .values("child")
        )
        rule |= Q(pk__in=unallocated)
        # Front-door (MASH) managers screen contacts, so they see the children on
        # contacts awaiting a decision; other managers do not.
        screens = Team.objects.filter(
            manager__user=user.pk, service_area=ServiceArea.FRONT_DOOR
        ).values("pk")
        awaiting = on_contacts.filter(contact__status=Contact.Status.AWAITING_DECISION)
        rule |= Q(Exists(screens)) & Q(pk__in=awaiting.values("child"))
        # A manager who records a contact screens it: it is on their own front door.
        recorded = awaiting.filter(contact__recorded_by=user.pk)
        rule |= Q(pk__in=recorded.values("child"))
    return rule


def _early_help_rule(user: User, teams) -> Q:
    """Children with an open early help episode led by the user or their team."""
    from earlyhelp.models import EarlyHelpEpisode

    open_eh = EarlyHelpEpisode.objects.filter(closed_on__isnull=True, entered_in_error=False)
    led = open_eh.filter(Q(worker__user=user.pk) | Q(team__in=teams))
    return Q(pk__in=led.values("child"))
