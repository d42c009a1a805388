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


class IdempotencyKey(models.Model):
    """An API client's Idempotency-Key and the response it got, so a retry never acts twice."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
