"""Reading letters, scoped to what the user may see."""

from django.utils.translation import gettext as _

from simpatik.core.errors import NotFound
from simpatik.letters.models import Letter
from simpatik.projects.models import Project


def visible_letter(user, pk) -> Letter:
    letter = (
        Letter.objects.filter(pk=pk, project__in=Project.objects.visible_to(user))
        .select_related("project", "step_run", "signer", "countersigner")
        .first()
    )
    if letter is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return letter
