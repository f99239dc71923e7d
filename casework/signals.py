"""What the domain announces for the layers above it to act on.

The domain services import nothing above them (tests/architecture/test_layers.py); an app
that must follow their writes (metrics recomputing KPIs) connects a receiver in its
``AppConfig.ready`` instead.
"""

from django.dispatch import Signal

# Sent inside the service's transaction after it saved a record a KPI may count, with
# ``record`` and ``day``: the earliest date a KPI can read off it (a back-dated entry
# changes every period from that day on).
record_dated = Signal()

# Sent by ``assessment_authorise`` inside its transaction, with ``assessment`` and ``by``:
# early help requests a step-down when the outcome is early help.
assessment_authorised = Signal()

# Sent by ``contact_screen`` inside its transaction, with ``contact`` and ``by``: early
# help requests an episode for each child screened to it.
contact_screened = Signal()
