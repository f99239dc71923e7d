"""The authority and its organisation: settings, teams and workers."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Authority(models.Model):
    """The local authority this installation serves (one row)."""

    la_code = models.CharField(
        "LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the 3-digit DfE local authority code")],
    )
    name = models.CharField(max_length=100)
    cp_visit_standard_working_days = models.PositiveSmallIntegerField(
        "CP visit standard (working days)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Maximum working days between statutory visits to a child on a CP plan.",
    )
    caseload_threshold = models.PositiveSmallIntegerField(
        default=25, help_text="Children per worker above which a caseload is flagged (seed 002)."
    )
    # Weights for the weighted caseload managers keep in spreadsheets today.
    weight_cp_plan = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    weight_cin_plan = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    weight_assessment = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.75"))
    weight_s47 = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.25"))
    weight_court = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("2.00"))
    # The front door's screening standard (seeds: 24 hours; the same working day; 1 working
    # day by default), and when its clock starts. contacts_screened_in_standard reads it.
    screening_standard_unit = models.CharField(
        max_length=12,
        choices=[("working_days", "Working days"), ("hours", "Hours")],
        default="working_days",
    )
    screening_standard_amount = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(72)],
        help_text="0 working days = the same working day.",
    )
    screening_clock_start = models.CharField(
        max_length=12,
        choices=[
            ("receipt", "When the contact is received"),
            ("working_day", "The next working day, for a contact received on a non-working day"),
        ],
        default="receipt",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "authority"

    def __str__(self) -> str:
        return f"{self.name} ({self.la_code})"


class ChildPopulation(models.Model):
    """Children aged 0-17 for a financial year, for rates per 10,000."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="populations")
    year = models.PositiveSmallIntegerField(
        help_text="Financial year starting 1 April of this year"
    )
    population = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="one_population_per_year")
        ]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}: {self.population}"


class ClosureDay(models.Model):
    """A local closure day the authority adds to the bank holidays (not a working day)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"


class ServiceArea(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door (MASH)"
    ASSESSMENT = "assessment", "Assessment"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    CHILDREN_IN_NEED = "cin", "Children in need"
    DISABLED_CHILDREN = "disabled", "Disabled children"
    CHILDREN_IN_CARE = "cic", "Children in care"


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    manager = models.ForeignKey(
        "casework.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    FAMILY_SUPPORT = "family_support", "Family support worker"
    BUSINESS_SUPPORT = "business_support", "Business support"


# Social Work England numbers are "SW" and digits (the register shows e.g. SW12345).
SWE_REGISTRATION = RegexValidator(
    r"^SW\d{3,10}$",
    "Enter the Social Work England registration number: SW followed by digits, e.g. SW123456",
)


# Worker roles are domain facts, not permission gates (those are accounts.permissions):
# each grouping is written here once, beside WorkerRole, and read by pages, the
# generator, the caseload selectors and the KPIs (metrics.kpis.stocks binds it into SQL).
# Who holds cases: children are allocated only to them, and only they count in caseloads.
CASE_HOLDING_ROLES = frozenset({WorkerRole.SOCIAL_WORKER, WorkerRole.SENIOR_PRACTITIONER})
# The CSWW workforce census's scope: registered social workers, managers included; not
# family support or business support staff.
SOCIAL_WORK_ROLES = frozenset(
    {
        WorkerRole.SOCIAL_WORKER,
        WorkerRole.SENIOR_PRACTITIONER,
        WorkerRole.TEAM_MANAGER,
        WorkerRole.HEAD_OF_SERVICE,
    }
)
# Front-door staff who sign in to log and decide contacts (the others there only hold
# cases): the generated authority gives them user accounts.
FRONT_DOOR_SIGN_IN_ROLES = frozenset({WorkerRole.BUSINESS_SUPPORT, WorkerRole.TEAM_MANAGER})
# Who a team manager manages (span of control).
MANAGED_BY_TEAM_MANAGER = frozenset(
    {
        WorkerRole.SOCIAL_WORKER,
        WorkerRole.SENIOR_PRACTITIONER,
        WorkerRole.FAMILY_SUPPORT,
        WorkerRole.BUSINESS_SUPPORT,
    }
)


class Employment(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


class Worker(models.Model):
    """A member of staff in the organisation; case-holders form caseloads."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worker",
    )
    staff_id = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="workers")
    role = models.CharField(max_length=30, choices=WorkerRole.choices)
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1.00"))],
    )
    employment = models.CharField(
        max_length=12, choices=Employment.choices, default=Employment.PERMANENT
    )
    newly_qualified = models.BooleanField(
        "Newly qualified (ASYE)",
        default=False,
        help_text="In the assessed and supported year in employment: caseload is protected.",
    )
    protected_caseload_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Most children a newly qualified worker may hold (e.g. 18 in the ASYE).",
    )
    started_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    # The SSDA903 return names each looked-after child's social worker by this number
    # (SWEpisodes SW_ID); blank for staff who are not registered social workers.
    swe_registration = models.CharField(
        "Social Work England registration number",
        max_length=12,
        blank=True,
        default="",
        validators=[SWE_REGISTRATION],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["team", "role"])]
        constraints = [
            models.UniqueConstraint(
                fields=["swe_registration"],
                condition=~models.Q(swe_registration=""),
                name="one_worker_per_swe_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_case_holding(self) -> bool:
        return self.role in CASE_HOLDING_ROLES

    @property
    def caseload_limit(self) -> int | None:
        return self.protected_caseload_limit if self.newly_qualified else None

    def is_active_on(self, day) -> bool:
        return self.started_on <= day and (self.left_on is None or self.left_on >= day)
