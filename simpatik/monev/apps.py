from django.apps import AppConfig


class MonevConfig(AppConfig):
    name = "simpatik.monev"
    label = "monev"
    verbose_name = "Monitoring dan evaluasi SOP"

    def ready(self):
        from simpatik.monev import audit  # noqa: F401 - registers the audit actions
