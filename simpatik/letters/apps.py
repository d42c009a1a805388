from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "simpatik.letters"
    label = "letters"
    verbose_name = "Naskah dinas"

    def ready(self):
        from simpatik.letters.kinds import KINDS
        from simpatik.sop import hooks

        for key, kind in KINDS.items():
            hooks.register_generator(key, title=kind.title, attendance=kind.attendance)
