"""Reading letters, scoped to what the user may see."""

from django.db.models import Q
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can
from simpatik.core.errors import NotFound
from simpatik.letters.kinds import KINDS
from simpatik.letters.models import Letter
from simpatik.projects.models import Project


def visible_letter(user, pk) -> Letter:
    """A step's letter to those who see its project; a document no step made (the monthly
    report) to the holders of its kind's `audience` capability."""
    letter = (
        Letter.objects.filter(pk=pk)
        .filter(Q(project__in=Project.objects.visible_to(user)) | Q(project__isnull=True))
        .select_related("project", "step_run", "signer", "countersigner")
        .first()
    )
    if letter is not None and letter.project_id is None:
        kind = KINDS.get(letter.kind)
        if kind is None or not kind.audience or not can(user, kind.audience):
            letter = None
    if letter is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return letter
