"""The care operations, added to the one permission table every service checks.

Social workers record the child's care (entry, changes, reviews, visits, health, PEPs,
missing episodes); varying a child's visit frequency is a manager's decision (reg 28).
"""

from accounts.permissions import GATES, OVERSEERS
from casework.services.permissions import _MANAGERS, _RECORDERS, PERMISSIONS

CARE_PERMISSIONS = {
    "care_start": (_RECORDERS, "record a child becoming looked after"),
    "care_change": (_RECORDERS, "record a change of legal status or placement"),
    "care_end": (_RECORDERS, "record a child ceasing to be looked after"),
    "care_review_record": (_RECORDERS, "record a looked-after review"),
    "care_visit_record": (_RECORDERS, "record a looked-after child visit"),
    "care_visit_frequency_set": (_MANAGERS, "vary a child's visit frequency"),
    "health_check_record": (_RECORDERS, "record a health assessment or check"),
    "pep_record": (_RECORDERS, "record a personal education plan"),
    "missing_record": (_RECORDERS, "record a missing episode"),
    "uasc_set": (_RECORDERS, "record unaccompanied asylum-seeking status"),
    "care_leaver_start": (_RECORDERS, "record a young person as a care leaver"),
    "care_leaver_record": (_RECORDERS, "record a care leaver's pathway plan and contact"),
    "adoption_record": (_RECORDERS, "record a child's adoption plan"),
    "previous_permanence_set": (
        _RECORDERS,
        "record a child's previous permanence order and motherhood",
    ),
}
PERMISSIONS.update(CARE_PERMISSIONS)

# Prospective adopters are not children, but their records are personal data: those who
# record adoptions and those who oversee them read them (every read is audited); business
# support does not.
CARE_GATES = {
    "adopters_view": (_RECORDERS | OVERSEERS, "see prospective adopters' records"),
}
GATES.update(CARE_GATES)
