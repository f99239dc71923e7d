"""Families: households and the children on contacts, drawn with fake names and valid
identifiers. A child's record is drawn only when first written, from a generator seeded
by its id, so children known only before the window cost nothing and stay deterministic."""

from __future__ import annotations

import random
from datetime import date, timedelta

from casework.codes import UPNUnknownReason as UN
from casework.generator import config as cfg
from casework.generator.people import birth_from_expected, child_age_days, nhs_number
from casework.generator.timeline import pick


class ChildState:
    __slots__ = ("id", "household", "born_on", "expected", "open_since", "open_until",
                 "plans", "pending", "legacy", "created")  # fmt: skip

    def __init__(self, id, household, born_on, expected):
        self.id, self.household = id, household
        self.born_on, self.expected = born_on, expected
        self.open_since: date | None = None  # the latest episode's referral date
        self.open_until: date | None = None
        self.plans = 0
        self.pending = True  # not yet written (children known before the window may never be)
        self.created: date | None = None
        self.legacy: list = []  # episodes closed before the window, written if they return

    def age_on(self, day: date) -> int | None:
        if self.born_on is None or self.born_on > day:
            return None
        return (day - self.born_on).days // 365

    def exists_on(self, day: date) -> bool:
        """Old enough to be referred: unborn (expected) or born and under 18."""
        if self.born_on is None or self.born_on > day:
            return self.expected is not None
        return (day - self.born_on).days < 18 * 365


class HouseholdState:
    __slots__ = ("id", "surname", "postcode", "children", "pending")

    def __init__(self, id, surname, postcode):
        self.id, self.surname, self.postcode, self.children = id, surname, postcode, []
        self.pending = None


class Families:
    def __init__(self, sim):
        self.sim = sim

    def new_household(self, day: date) -> HouseholdState:
        rng, people = self.sim.child_rng, self.sim.people
        h = HouseholdState(self.sim.next_id("household"), rng.choice(people.surnames),
                           rng.choice(people.postcodes))  # fmt: skip
        h.pending = {
            "id": h.id, "reference": f"H{h.id:08d}", "postcode": h.postcode,
            "created_at": self.sim.stamp(day), "updated_at": self.sim.stamp(day),
        }  # fmt: skip
        n = pick(rng, cfg.CHILDREN_PER_CONTACT)
        unborn_at = rng.randrange(n) if rng.random() < cfg.UNBORN_SHARE * 1.5 else -1
        for i in range(n):
            self.new_child(h, day, unborn=i == unborn_at)
        return h

    def new_child(self, h: HouseholdState, day: date, unborn: bool) -> ChildState:
        rng = self.sim.child_rng
        expected = born = None
        if unborn:
            expected = day + timedelta(days=rng.randint(20, 150))
            birth = birth_from_expected(rng, expected)
            born = birth if birth <= self.sim.end else None
        else:
            born = day - timedelta(days=child_age_days(rng))
        child = ChildState(self.sim.next_id("child"), h, born, expected)
        child.created = day
        h.children.append(child)
        return child

    def child_rows(self, child: ChildState) -> list:
        """The child's record, drawn when first written from a generator seeded by the
        child's id, so children never written cost nothing and the result is the same."""
        rng = random.Random(self.sim.seed * 1_000_003 + child.id)
        people, h, day = self.sim.people, child.household, child.created
        born, expected, unborn = child.born_on, child.expected, child.expected is not None
        sex = rng.choice("MF")
        row = {
            "id": child.id, "la_child_id": f"C{child.id:08d}",
            "first_name": people.first_name(rng, sex),
            "last_name": h.surname if rng.random() < 0.85 else rng.choice(people.surnames),
            "date_of_birth": born, "expected_date_of_birth": expected,
            "sex": sex if born else "U", "ethnicity": people.ethnicity(rng),
            "disabilities": people.disabilities(rng), "upn": "", "upn_unknown_reason": "",
            "nhs_number": "", "postcode": h.postcode, "household_id": h.id,
            "is_restricted": rng.random() < 0.003, "created_at": self.sim.stamp(day),
            "updated_at": self.sim.stamp(day),
        }  # fmt: skip
        self._identifiers(row, rng, born, unborn, day)
        if unborn and born is not None:
            return self._born_later(row, born, rng)
        return [("row", row)]

    def _identifiers(self, row, rng, born, unborn, day) -> None:
        if unborn:
            row["upn_unknown_reason"] = UN.UN8 if born is None else UN.UN6
            row["nhs_number"] = nhs_number(rng) if born is not None else ""
            return
        age = (day - born).days / 365.25
        row["nhs_number"] = nhs_number(rng) if rng.random() < 0.92 else ""
        if age >= 5 and rng.random() < 0.88:
            row["upn"] = self.sim.people.upn(rng, born)
        else:
            # UN7 means "referral with no further action" in the census (rule 8772), not
            # "aged 6 or over": a school-age child without a UPN is new to the LA (UN4),
            # educated outside England (UN3) or never at school (UN2).
            row["upn_unknown_reason"] = UN.UN6 if age < 6 else pick(
                rng, [("UN4", 0.5), ("UN3", 0.3), ("UN2", 0.2)])  # fmt: skip

    def _born_later(self, row: dict, born: date, rng: random.Random) -> list:
        """An unborn child recorded, then born: the record as updated at the birth, with
        its two history rows (created unborn, changed on the birth)."""
        unborn = {**row, "date_of_birth": None, "sex": "U", "upn_unknown_reason": UN.UN8,
                  "nhs_number": ""}  # fmt: skip
        changed_at = self.sim.stamp(born + timedelta(days=rng.randint(1, 10)))
        final = {**row, "sex": rng.choice("MF"), "version": 2, "expected_date_of_birth": None,
                 "updated_at": changed_at}  # fmt: skip
        return [("final", final), ("history", unborn, row["created_at"], "+"),
                ("history", final, changed_at, "~")]  # fmt: skip
