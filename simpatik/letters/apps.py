from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "simpatik.letters"
    label = "letters"
    verbose_name = "Naskah dinas"

    def ready(self):
        from simpatik.letters import services
        from simpatik.letters.kinds import KINDS
        from simpatik.letters.signing import get_signer
        from simpatik.sop import hooks

        def needs_passphrase():
            return get_signer().needs_passphrase

        for key, kind in KINDS.items():
            if kind.audience:
                continue  # made by no step: not something an SOP item can `generate`
            hooks.register_generator(
                key,
                title=kind.title,
                attendance=kind.attendance,
                attendance_key=kind.attendance_key,
                needs_passphrase=needs_passphrase,
            )
        hooks.register_completion(check=services.check_completion, after=services.after_completion)

        from simpatik.letters import views
        from simpatik.projects import panels

        panels.register("letters/_step_letters_panel.html", views.step_letters_panel)
