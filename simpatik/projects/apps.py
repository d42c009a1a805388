from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "simpatik.projects"
    label = "projects"
    verbose_name = "Proyek pengembangan aplikasi"
