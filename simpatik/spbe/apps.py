from django.apps import AppConfig


class SpbeConfig(AppConfig):
    name = "simpatik.spbe"
    label = "spbe"
    verbose_name = "SPBE"

    def ready(self):
        from simpatik.sop import hooks
        from simpatik.spbe import services

        hooks.register_step_notes(services.stage_notes)
