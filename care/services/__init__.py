"""Children in care: the one write path (pages, API, generator, importers).

Every operation is keyword-only, takes the acting user as ``by``, checks the permission
table, runs in one transaction with the period row locked at the version the user saw
(``expected_version``), raises ``DomainError`` with the field at fault, bumps
``version`` and records who and why in history (the casework conventions,
``casework.services``). Dates may be back-dated, never in the future.

entry           care_start: a child becomes looked after (period, first episode, placement)
changes         care_change: legal status and/or placement, a new SSDA903 episode
ending          decide_care_end, care_end: the child ceases to be looked after
reviews_visits  care_review_record, care_visit_record, care_visit_frequency_set
health_education health_check_record, pep_record
missing         missing_record, missing_return_record
uasc            uasc_set
placements      PlacementDetails and the placement rows the services above write
checks          the field checks they share (a code from its list, a day in the period)
periods         a period locked for an operation, and its current episode
"""
