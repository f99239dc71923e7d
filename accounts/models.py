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
        # The role table imports this module, so it is read when asked, not at import.
        from accounts.permissions import role_may

        return role_may(self.role, "see_every_child")


class RestrictionReason(models.TextChoices):
    HIGH_PROFILE = "high_profile", "High profile"
    STAFF_RELATIVE = "staff_relative", "Relative of a member of staff"
    ADOPTION = "adoption", "Adoption"
    OTHER = "other", "Other"


class RestrictedAccess(models.Model):
    """One restriction of a child's record: why, until when, and who may see it.

    ``Child.is_restricted`` is the flag every query filters on; the current row (not
    lifted) carries the reason and the access list. Rows are never deleted: lifting or
    replacing a restriction records who, when and why, so the history stays. Both are
    set by ``accounts.services.child_restrict`` / ``child_unrestrict``.
    """

    child = models.ForeignKey(
        "casework.Child", on_delete=models.PROTECT, related_name="restricted_access"
    )
    reason = models.CharField(max_length=20, choices=RestrictionReason.choices)
    reason_detail = models.TextField(blank=True)
    review_on = models.DateField(help_text="When the restriction must next be reviewed")
    users = models.ManyToManyField(User, related_name="restricted_access", blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_reason = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "restricted access"
        ordering = ["child", "-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_current_restriction_per_child",
            )
        ]

    def __str__(self) -> str:
        state = "lifted" if self.lifted_at else "current"
        return f"Restricted ({state}): child {self.child_id} ({self.get_reason_display()})"

    def delete(self, *args, **kwargs):
        raise PermissionError(RESTRICTION_KEPT)


RESTRICTION_KEPT = "Restrictions are kept as history: lift them, do not delete them."


class AuditEventQuerySet(models.QuerySet):
    # Guard rails only: PostgreSQL refuses these too (migration 0003's trigger).
    def update(self, **kwargs):
        raise PermissionError(AUDIT_APPEND_ONLY)

    def delete(self):
        raise PermissionError(AUDIT_APPEND_ONLY)


AUDIT_APPEND_ONLY = "Audit events are append-only: they cannot be changed or deleted."


class AuditEvent(models.Model):
    """One view, export, change or search of a child's data. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CHANGE = "change", "Changed"
        SEARCH = "search", "Searched"

    user = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "casework.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=500, help_text="Page path or API endpoint")
    object_repr = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["child", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_repr} at {self.occurred_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(AUDIT_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(AUDIT_APPEND_ONLY)
