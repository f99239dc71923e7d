"""Children and households."""

from datetime import date

from django.core.validators import RegexValidator
from django.db import models

from casework.codes import Ethnicity, Sex, UPNUnknownReason
from casework.models.base import CaseRecord

upn_validator = RegexValidator(
    r"^[A-Z]\d{11}[0-9A-Z]$", "Enter a UPN: a letter, 11 digits, then a digit or letter"
)
nhs_validator = RegexValidator(r"^\d{10}$", "Enter a 10-digit NHS number")


class Household(CaseRecord):
    """Children living together; links siblings so one contact can cover them all."""

    reference = models.CharField(max_length=20, unique=True)
    postcode = models.CharField(max_length=8, blank=True)

    def __str__(self) -> str:
        return self.reference


class Child(CaseRecord):
    la_child_id = models.CharField("LA child ID", max_length=20, unique=True)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child, instead of a date of birth."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices)
    # Census PersonDeathDate: needed to close an episode RC2 (died) and to export it.
    date_of_death = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    # Census disability codes; ["NONE"] or a list of conditions.
    disabilities = models.JSONField(default=list, blank=True)
    upn = models.CharField(
        "UPN", max_length=13, blank=True, validators=[upn_validator], db_index=True
    )
    upn_unknown_reason = models.CharField(
        "UPN unknown reason", max_length=4, blank=True, choices=UPNUnknownReason.choices
    )
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[nhs_validator]
    )
    postcode = models.CharField(max_length=8, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Restricted records (high profile, staff member's relative, adoption): see accounts.
    is_restricted = models.BooleanField(default=False, db_index=True)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
            # The few children a head of service may not open (accounts.permissions):
            # found through this index instead of a pass over every child.
            models.Index(
                fields=["id"],
                condition=models.Q(is_restricted=True) | models.Q(entered_in_error=True),
                name="child_restricted_or_in_error",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.la_child_id})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
