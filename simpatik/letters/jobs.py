"""Signing that needs no one present: letters left waiting for their first signature while the
configured signer needs no passphrase (see the decision in simpatik.letters.services)."""

from simpatik.core.errors import Conflict
from simpatik.jobs import services as jobs
from simpatik.jobs.registry import Permanent, job
from simpatik.letters import services
from simpatik.letters.models import Letter
from simpatik.letters.signing import get_signer


@job("letters.sign", title="Menandatangani naskah dinas yang tertunda", max_attempts=6)
def sign(letter_id: int) -> str:
    letter = Letter.objects.select_related("signer", "project").get(pk=letter_id)
    if letter.status != Letter.Status.MENUNGGU_TTE:
        return letter.status  # signed meanwhile, by its signer or by an earlier run
    if get_signer().needs_passphrase:
        raise Permanent(
            "Layanan TTE memerlukan passphrase penanda tangan; naskah ini ditandatangani "
            "dari halaman Naskah dinas."
        )
    try:
        services.sign_letter(letter, actor=letter.signer, via="worker")
    except Conflict as error:
        if error.code in ("letter_signed", "letter_changed"):
            return "ditandatangani"
        raise
    return letter.number


@job("letters.sign_waiting", title="Mencari naskah yang menunggu TTE", max_attempts=3)
def sign_waiting() -> int:
    """With a signer that needs no passphrase, one `letters.sign` job per waiting letter."""
    if get_signer().needs_passphrase:
        return 0  # only the signer, with the passphrase, can sign these
    count = 0
    for letter in services.pending_letters().select_related("project"):
        jobs.enqueue(
            "letters.sign",
            kwargs={"letter_id": letter.pk},
            key=f"tte:{letter.pk}:{letter.sha256[:16]}",
            project=letter.project,
        )
        count += 1
    return count
