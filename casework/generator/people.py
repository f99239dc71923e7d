"""Fake people: names from faker (en_GB) drawn once into seeded pools, identifiers with
valid check characters (UPN check letter, NHS number modulus 11)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from faker import Faker

ETHNICITY = [
    ("WBRI", 0.70), ("WOTH", 0.04), ("WIRI", 0.005), ("WIRT", 0.003), ("WROM", 0.007),
    ("MWBC", 0.025), ("MWBA", 0.01), ("MWAS", 0.012), ("MOTH", 0.02), ("AIND", 0.015),
    ("APKN", 0.03), ("ABAN", 0.01), ("AOTH", 0.01), ("BCRB", 0.01), ("BAFR", 0.025),
    ("BOTH", 0.008), ("CHNE", 0.003), ("OOTH", 0.012), ("REFU", 0.005), ("NOBT", 0.04),
]  # fmt: skip
DISABILITIES = ["MOB", "HAND", "PC", "COMM", "LD", "HEAR", "VIS", "BEH", "AUT", "DDA"]
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(twelve: str) -> str:
    """DfE UPN check letter: weights 2..13 over characters 2-13, modulus 23."""
    total = sum(int(c) * w for c, w in zip(twelve, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23]


def nhs_number(rng: random.Random) -> str:
    """A 10-digit NHS number with a valid modulus-11 check digit (one draw, not ten)."""
    while True:
        body = str(rng.randrange(400_000_000, 700_000_000))
        check = 11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)


class People:
    """Seeded pools of names and postcodes, so a million children cost no faker calls."""

    def __init__(self, seed: int, la_code: str):
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.male = sorted({fake.first_name_male() for _ in range(900)})
        self.female = sorted({fake.first_name_female() for _ in range(900)})
        self.surnames = sorted({fake.last_name() for _ in range(2500)})
        self.postcodes = [fake.postcode() for _ in range(3000)]
        self.adult_first = self.male + self.female
        self.la_code = la_code
        self._upns: set[str] = set()
        eth_codes, eth_weights = zip(*ETHNICITY, strict=True)
        self._eth = (list(eth_codes), list(eth_weights))

    def first_name(self, rng: random.Random, sex: str) -> str:
        pool = self.male if sex == "M" else self.female if sex == "F" else self.adult_first
        return rng.choice(pool)

    def ethnicity(self, rng: random.Random) -> str:
        return rng.choices(*self._eth)[0]

    def disabilities(self, rng: random.Random) -> list[str]:
        if rng.random() < 0.9:
            return ["NONE"]
        return sorted(rng.sample(DISABILITIES, rng.choice([1, 1, 1, 2])))

    def upn(self, rng: random.Random, born: date) -> str:
        """A UPN no other generated child holds: a UPN is one pupil's, and the census refuses
        two children with the same one (DfE rule 1520; the child service refuses it too).
        A cohort of a county draws thousands from 6 million bodies, so repeats happen."""
        while True:
            school = f"{rng.randrange(1000, 7000):04d}"
            year = f"{(born.year + 5) % 100:02d}"
            body = f"{self.la_code}{school}{year}{rng.randrange(1000):03d}"
            upn = upn_check_letter(body) + body
            if upn not in self._upns:
                self._upns.add(upn)
                return upn


def child_age_days(rng: random.Random) -> int:
    """Age at first contact: more babies and teenagers than middle childhood (census)."""
    band = rng.random()
    if band < 0.22:
        years = rng.uniform(0, 2)
    elif band < 0.55:
        years = rng.uniform(2, 10)
    else:
        years = rng.uniform(10, 17.8)
    return int(years * 365.25)


def birth_from_expected(rng: random.Random, expected: date) -> date:
    return expected + timedelta(days=rng.randint(-21, 10))
