from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "simpatik.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan OPD"
