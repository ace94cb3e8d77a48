from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatement(models.Model):
    """A statement waiting for the LRS, or sent: its id is the statement's own, so a
    statement is queued once however often its event is read again."""

    id = models.UUIDField(primary_key=True)
    kind = models.CharField(max_length=40)
    statement = models.JSONField()
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("xAPI statement")
        indexes = [models.Index(fields=["sent_at", "queued_at"], name="xapi_unsent")]

    def __str__(self):
        return f"{self.kind} {self.id}"
