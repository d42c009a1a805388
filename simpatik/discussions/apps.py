from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "simpatik.discussions"
    label = "discussions"
    verbose_name = "Diskusi langkah"
