from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "simpatik.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
