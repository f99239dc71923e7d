"""Pages that show a child's data without naming the child in their URL.

ChildAccessMiddleware audits pages whose URL names the child (``CHILD_URL_KWARGS``) by
itself; for every other page about children, this table says how to find them from the
URL, so a new page is audited by adding one line. The view still decides who may open
the page (404 for a record one may not see); the middleware refuses case pages to roles
without case detail (403) and writes the rows after a successful response.
tests/accounts/test_child_pages.py fails for a page with an id in its URL that is in
neither place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class ChildrenOf:
    """The child(ren) of the ``model`` row whose primary key is URL kwarg ``kwarg``."""

    model: str  # "app_label.ModelName"
    kwarg: str
    path: str = "child"  # lookup from the row to its child(ren)
    # Case pages are refused (403) to roles that may not see case detail, before any
    # lookup, as pages naming a child are unless marked ``child_identity_only``.
    identity_only: bool = False

    def child_ids(self, view_kwargs: dict) -> list[int]:
        try:
            pk = int(view_kwargs[self.kwarg])
        except (KeyError, TypeError, ValueError):
            return []
        rows = apps.get_model(self.model)._default_manager.filter(pk=pk)
        ids = rows.exclude(**{self.path: None}).values_list(self.path, flat=True)
        return sorted(set(ids))


# url name -> how to find the children it shows (one audit row per child per request)
CHILD_PAGES: dict[str, ChildrenOf] = {
    "assessment_start": ChildrenOf("referrals.Referral", "referral_pk"),
    "assessment_step": ChildrenOf("casework.Assessment", "pk"),
    "referral_close": ChildrenOf("referrals.Referral", "pk"),
    "allocate": ChildrenOf("referrals.Referral", "pk"),
    "cin_plan_start": ChildrenOf("referrals.Referral", "referral_pk"),
    "cin_plan_end": ChildrenOf("referrals.Referral", "referral_pk"),
    "strategy_discussion_new": ChildrenOf("referrals.Referral", "referral_pk"),
    "visit_new": ChildrenOf("referrals.Referral", "referral_pk"),
    "s47_step": ChildrenOf("casework.Section47Enquiry", "pk"),
    "conference_step": ChildrenOf("casework.ChildProtectionConference", "pk"),
    "plan_step": ChildrenOf("casework.ChildProtectionPlan", "pk"),
    "plan_visit_standard": ChildrenOf("casework.ChildProtectionPlan", "pk"),
    "assessment_decision": ChildrenOf("casework.Assessment", "pk"),
    "s47_decision": ChildrenOf("casework.Section47Enquiry", "pk"),
    # A contact may be about several children (siblings): one row for each.
    "contact_screen": ChildrenOf("referrals.Contact", "pk", "children__child"),
    "restriction_lift": ChildrenOf("accounts.RestrictedAccess", "pk"),
    "earlyhelp:episode": ChildrenOf("earlyhelp.EarlyHelpEpisode", "pk"),
    "earlyhelp:step": ChildrenOf("earlyhelp.EarlyHelpEpisode", "pk"),
    "earlyhelp:step_down_cin": ChildrenOf("referrals.Referral", "referral"),
}

# url name -> the query parameter: a request with a query writes one SEARCH row
SEARCH_PAGES: dict[str, str] = {
    "child_search": "q",
}
