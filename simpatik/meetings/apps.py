from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "simpatik.meetings"
    label = "meetings"
    verbose_name = "Presentasi dan kalender"

    def ready(self):
        from simpatik.meetings import services
        from simpatik.sop import hooks

        hooks.register_suggestion(services.suggested_attendance)
