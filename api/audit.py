"""Recording that an API user saw or changed a child's data: ``accounts.audit``'s helpers
under the API's action names."""

from accounts.audit import audit_child_access, audit_children_access

VIEW, SEARCH, CHANGE = "view", "search", "change"

__all__ = ["CHANGE", "SEARCH", "VIEW", "audit_child_access", "audit_children_access"]
