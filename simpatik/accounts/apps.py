from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "simpatik.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan OPD"

    def ready(self):
        from simpatik.accounts import receivers  # noqa: F401  (connects the audit receivers)
