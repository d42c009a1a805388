"""Pay at start what the first letter would otherwise pay: about 2 s of a 0.3 s letter.

WeasyPrint loads its code and the fonts (fontconfig) on its first page, Django compiles the letter
templates on first use, pyHanko loads its code on its first signature, and each official's key
is decrypted on their first letter. `warm()` does all of it once, where a process starts to
serve: the web server (simpatik/wsgi.py, gunicorn and runserver) and `simpatik worker`. Tests and
other commands never import those, so they do not pay for it.
"""

import logging
import time

from django.conf import settings
from django.template.loader import get_template

logger = logging.getLogger("simpatik.letters")


def warm() -> None:
    """Never stops a start: what fails here fails again, with its message, on a real letter."""
    started = time.perf_counter()
    try:
        pdf = _warm_rendering()
        keys = _warm_signing(pdf) if settings.SIMPATIK_SIGNER == "local" else 0
    except Exception:  # noqa: BLE001 - a warm-up is an optimisation, never a reason to refuse
        logger.warning(
            "Pemanasan naskah dinas gagal; naskah pertama akan lebih lambat.", exc_info=True
        )
        return
    logger.info("naskah dinas siap (%d kunci) dalam %.2f s", keys, time.perf_counter() - started)


def _warm_rendering() -> bytes:
    from simpatik.core.pdf import html_to_pdf
    from simpatik.letters.kinds import KINDS
    from simpatik.letters.render import logo_data_uri, qr_data_uri, verification_url

    templates = [get_template(f"letters/{key}.html") for key in KINDS]  # compiled and cached
    context = {
        "kop": settings.SIMPATIK_KOP,
        "logo": logo_data_uri(),
        "letter": {
            "title": "Naskah pemanasan",
            "number": "000/0/0/I/2000",
            "verification_code": "pemanasan",
            "qr": qr_data_uri(verification_url("pemanasan")),
        },
        "signer": {"name": "Pemanasan", "position": "Pemanasan", "nip": "0"},
    }
    # The shipped base letter with its fonts (serif, bold, monospace) as every letter uses them.
    return html_to_pdf(templates[0].render(context))


def _warm_signing(pdf: bytes) -> int:
    """The CA check and every official's key, then one signature with pyHanko's code paths."""
    from simpatik.letters.pki import ca_paths, identity_paths, init_ca, pki_dir, signer_passphrase
    from simpatik.letters.signing import identities, sign_with

    key_path, cert_path = ca_paths()
    if not (key_path.exists() and cert_path.exists()):
        return 0  # no CA yet: the first letter makes it (`simpatik pki init` does at install)
    init_ca()
    loaded = []
    for path in sorted((pki_dir() / "signers").glob("*.p12")):
        username = path.stem
        if identity_paths(username)[1].exists():
            continue  # an old layout, re-encrypted on that official's next letter
        loaded.append(identities.signer(path, signer_passphrase(username)))
    if loaded:
        sign_with(loaded[0], pdf, "Pemanasan", "Pemanasan")
    return len(loaded)
