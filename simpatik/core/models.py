from django.db import models


class Sequence(models.Model):
    """A gapless counter per name and year (project codes, usulan numbers, letter numbers)."""

    name = models.CharField(max_length=60)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="sequence_unique")]

    def __str__(self):
        return f"{self.name}/{self.year}: {self.last}"
