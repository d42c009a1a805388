from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "simpatik.meetings"
    label = "meetings"
    verbose_name = "Presentasi dan kalender"
