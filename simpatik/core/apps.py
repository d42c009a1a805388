from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "simpatik.core"
    label = "core"
    verbose_name = "Inti"
