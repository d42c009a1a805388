from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "simpatik.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from django.db.backends.signals import connection_created

        from simpatik.core import checks  # noqa: F401  (registers the deployment checks)
        from simpatik.core.secrets import private_sqlite

        connection_created.connect(private_sqlite, dispatch_uid="simpatik.private_sqlite")
