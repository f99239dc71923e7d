"""Referrals and contacts are built through the real services (they start episodes)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from casework.codes import ReferralSource
from referrals import services
from tests.factories.casework import ChildFactory

LONDON = ZoneInfo("Europe/London")
REFERRED_ON = date(2025, 3, 3)  # a Monday


def open_referral(*, by, child=None, referred_on: date = REFERRED_ON, **kwargs):
    return services.referral_open(
        child=child or ChildFactory(),
        by=by,
        referred_on=referred_on,
        source=kwargs.pop("source", ReferralSource.SCHOOLS),
        **kwargs,
    )


def record_contact(*, by, children=None, received_at: datetime | None = None, **kwargs):
    return services.contact_record(
        by=by,
        received_at=received_at or datetime(2025, 3, 3, 9, 30, tzinfo=LONDON),
        source=kwargs.pop("source", ReferralSource.POLICE),
        reason=kwargs.pop("reason", "Police attended a domestic incident"),
        children=children or [ChildFactory()],
        **kwargs,
    )
