from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "simpatik.audit"
    label = "audit"
    verbose_name = "Jejak audit"
