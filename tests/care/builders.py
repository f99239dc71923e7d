"""Children brought into care through the real services."""

from datetime import date

from care.services.entry import care_start
from care.services.placements import PlacementDetails

FOSTER = PlacementDetails(place="U6", provider="PR1", postcode="AB1 2CD", urn="SC123456",
                          carer="Carer A")  # fmt: skip
FOSTER_B = PlacementDetails(place="U4", provider="PR4", urn="SC654321", carer="Carer B",
                            long_term=True)  # fmt: skip
ENTRY = date(2025, 4, 7)  # Monday after which Easter and the early May bank holiday fall


def looked_after(child, by, *, on: date = ENTRY, placement=FOSTER, **kwargs):
    return care_start(
        child=child,
        by=by,
        started_on=on,
        legal_status=kwargs.pop("legal_status", "C1"),
        category_of_need=kwargs.pop("category_of_need", "N1"),
        placement=placement,
        **kwargs,
    )
