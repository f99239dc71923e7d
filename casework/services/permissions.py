"""Who may perform each domain operation: the one role table is
``accounts.permissions`` (``PERMISSIONS``, ``can``, ``require``).

This module keeps the name the services have always imported; it defines nothing.
Social workers record; managers authorise, sign off and allocate; business support may
record contacts and children's details; auditors read only. Views use ``can()`` to hide
buttons; the services call ``require()`` so no caller can skip the check.
"""

from accounts.permissions import MANAGERS, PERMISSIONS, RECORDERS, can, require

# Care registers its operations with these names (care/permissions.py).
_MANAGERS, _RECORDERS = MANAGERS, RECORDERS

__all__ = ["PERMISSIONS", "can", "require", "_MANAGERS", "_RECORDERS"]
