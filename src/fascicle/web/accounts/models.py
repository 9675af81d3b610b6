"""Units (mirroring a section's structure) and who holds which role in which unit, each with its history
(django-simple-history: who changed what, when; the administrator's pages under manage/ show it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from fascicle.workflow import ROLES

LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")


class Unit(models.Model):
    """An organizational unit: an entity (ITC) or one of its units (DMD), by its id in structure.yaml."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.code

    @property
    def entity(self) -> str:
        """The code of the entity the unit belongs to (itself at the top)."""
        unit = self
        while unit.parent is not None:
            unit = unit.parent
        return unit.code


class Membership(models.Model):
    """A role held by a user in a unit; a translator's also names their language."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=[(r, r) for r in ROLES])
    language = models.CharField(max_length=5, blank=True, choices=[(code, code) for code in LANGUAGES])
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role", "language"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.unit}{' ' + self.language if self.language else ''}"
