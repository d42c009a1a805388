from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "simpatik.oversight"
    label = "oversight"
    verbose_name = "Pengawasan"
