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
