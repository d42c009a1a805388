from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "simpatik.wiki"
    label = "wiki"
    verbose_name = "Dokumentasi proyek"
