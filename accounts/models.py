from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    BUSINESS_SUPPORT = "business_support", "Business support"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person who signs in. Case-holding details live on ``casework.Worker``."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)

    @property
    def is_manager(self) -> bool:
        return self.role == Role.TEAM_MANAGER

    @property
    def sees_everything(self) -> bool:
        return self.role in {Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.ADMINISTRATOR}
