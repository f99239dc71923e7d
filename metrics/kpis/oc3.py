"""The SSDA903 OC3 cohort: which care leavers are reported on a 17th-21st birthday.

One definition, read by the return's OC3 table (``metrics.returns.ssda903``) and by the
care-leaver KPIs (``metrics.kpis.care``), so the figures on the KPI pages are the rows the
authority sends the DfE. A care leaver (a ``CareLeaver`` record, not entered in error) is in
the cohort for the birthday (17th to 21st) that falls in the window, unless:

- they are *qualifying* only: looked after for less than 13 weeks from the 14th birthday
  (``care.leavers.eligibility``); the return holds relevant and former relevant young people
  (rule 1001);
- they are looked after on the birthday (they are in the year's episodes instead);
- it is the 17th or 18th birthday and a period of care ends on or after it, or is still open:
  at 17 and 18 only those who left care before the birthday are returned (rules 1007, 1016);
- their care was transferred to another authority: the latest period of care started by the
  window's end ended E3 (rule 1011; that authority reports them);
- they were only ever looked after on short breaks (legal status V3/V4), whom the DfE leaves
  out of every care-leaver figure.

The values are the latest contact recorded for that birthday (3 months before to 1 month
after it, ``care.leavers.oc3_birthday`` sets ``birthday_age``); with none, the young person
is returned as not in touch (IN_TOUCH NO) with activity and accommodation unknown.

A window is at most 12 months, so a young person has at most one birthday in it and the
cohort is one row per ``CareLeaver``, annotated ``oc3_age``, ``oc3_birthday``,
``oc3_in_touch``, ``oc3_activity`` and ``oc3_accommodation``: one SQL statement, on
PostgreSQL and SQLite. ``windows`` cuts a longer span into such windows.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from care import codes
from care.leavers import OC3_AGES
from care.models import CareEpisode, CareLeaver, CarePeriod, LeaverContact
from metrics.kpis.sql import AddMonths
from metrics.periods import add_months

# Left care before the birthday is the rule at these ages (rules 1007, 1016).
LEFT_BEFORE_AGES = (17, 18)
TRANSFERRED = codes.ReasonCeased.E3
NOT_IN_TOUCH = "NO"


def windows(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end] cut into consecutive windows of at most 12 months."""
    out = []
    while start <= end:
        stop = min(add_months(start, 12) - timedelta(days=1), end)
        out.append((start, stop))
        start = stop + timedelta(days=1)
    return out


def _birthday(age: int):
    return AddMonths("child__date_of_birth", 12 * age)


def _in_window(age: int, start: date, end: date) -> Q:
    return Q(**{f"_birthday_{age}__gte": start, f"_birthday_{age}__lte": end})


def _periods():
    return CarePeriod.objects.filter(entered_in_error=False, child=OuterRef("child_id"))


def _short_break():
    return CareEpisode.objects.filter(
        period=OuterRef("pk"), reason_new_episode="S", legal_status__in=codes.SHORT_BREAKS
    )


def _contact(field: str):
    """``field`` of the latest contact recorded for the cohort row's birthday."""
    latest = LeaverContact.objects.filter(
        entered_in_error=False, child=OuterRef("child_id"), birthday_age=OuterRef("oc3_age")
    ).order_by("-contacted_on", "-pk")
    return Subquery(latest.values(field)[:1], output_field=CharField())


def cohort(start: date, end: date) -> QuerySet[CareLeaver]:
    """The care leavers reported for a birthday in [start, end] (at most 12 months)."""
    if end >= add_months(start, 12):
        raise ValueError("An OC3 window is at most 12 months: cut it with windows().")
    birthday = OuterRef("oc3_birthday")
    on_birthday = _periods().filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=birthday), started_on__lte=birthday
    )
    ends_on_or_after = _periods().filter(Q(ended_on__isnull=True) | Q(ended_on__gte=birthday))
    last_reason = _periods().filter(started_on__lte=end).order_by("-started_on", "-pk")
    not_a_short_break = _periods().exclude(Exists(_short_break()))
    qs = CareLeaver.objects.filter(
        entered_in_error=False, child__date_of_birth__isnull=False
    ).exclude(eligibility=codes.LeaverEligibility.QUALIFYING)
    qs = qs.alias(**{f"_birthday_{age}": _birthday(age) for age in OC3_AGES})
    qs = qs.annotate(
        oc3_age=Case(
            *(When(_in_window(a, start, end), then=Value(a)) for a in OC3_AGES),
            output_field=IntegerField(),
        ),
        oc3_birthday=Case(
            *(When(_in_window(a, start, end), then=_birthday(a)) for a in OC3_AGES),
            output_field=DateField(),
        ),
    ).filter(oc3_age__isnull=False)
    qs = qs.alias(
        _looked_after=Exists(on_birthday),
        _ends_after=Exists(ends_on_or_after),
        _last_reason=Coalesce(
            Subquery(last_reason.values("reason_ceased")[:1], output_field=CharField()),
            Value(""),
        ),
        _cared_for=Exists(not_a_short_break),
    ).filter(_looked_after=False, _cared_for=True)
    qs = qs.exclude(_last_reason=TRANSFERRED).exclude(
        oc3_age__in=LEFT_BEFORE_AGES, _ends_after=True
    )
    return qs.annotate(
        oc3_in_touch=Coalesce(_contact("in_touch"), Value(NOT_IN_TOUCH)),
        oc3_activity=Coalesce(_contact("activity"), Value("")),
        oc3_accommodation=Coalesce(_contact("accommodation"), Value("")),
    )
