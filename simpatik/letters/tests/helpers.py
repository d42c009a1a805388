from simpatik.letters import pki, services
from simpatik.projects.services.rules import eligible
from simpatik.testing.walker import open_run


def issue_current(
    project,
    users,
    *,
    catatan="Catatan uji",
    fields=None,
    attendees="Nur Paputungan — Tim Teknis\nDimas — Tim Pengembang",
):
    """Issue every generated output of the open step, as its first eligible user."""
    pki.init_ca()
    run = open_run(project)
    actor = next(user for user in users if eligible(user, run))
    letters = []
    for item in run.step.hasil:
        if item.generate:
            letters.append(
                services.issue_letter(
                    run,
                    actor=actor,
                    key=item.key,
                    catatan=catatan,
                    attendees=attendees,
                    fields=fields,
                )
            )
    return letters
