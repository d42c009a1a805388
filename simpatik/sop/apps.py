from django.apps import AppConfig


class SopConfig(AppConfig):
    name = "simpatik.sop"
    label = "sop"
    verbose_name = "SOP"
