"""Pay at start what the first letter would otherwise pay: about 2 s of a 0.1 s letter.

WeasyPrint loads its code and the fonts (fontconfig) on its first page, and each layout (a table
with a header, photos, two signatures, a landscape report, a draft's watermark) runs code and
fills font caches of its own on first use; Django compiles the letter templates on first use,
pyHanko loads its code on its first signature, and each official's key is decrypted on their
first letter. `warm()` does all of it once, in memory, where a process starts to serve: the web
server (simpatik/wsgi.py, gunicorn and runserver) and `simpatik worker`. Tests and other commands
never import those, so they do not pay for it.
"""

import base64
import gc
import io
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
    finally:
        _settle_the_heap()
    logger.info("naskah dinas siap (%d kunci) dalam %.2f s", keys, time.perf_counter() - started)


class _Text(str):
    """A field of a throwaway letter; as a list (a row's cells per status), two of them."""

    def __iter__(self):
        return iter(("1", "2"))


class _Row(tuple):
    """A row of a throwaway letter's table: unpacks as a pair, every field reads as a text."""

    def __new__(cls):
        return super().__new__(cls, ("Contoh isian", "12"))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Text("Isi 12")

    def __str__(self):
        return "Contoh isian"


# The lists the shipped templates lay out as tables, filled with two rows each.
TABLES = (
    "summary steps loops overdue workload requests request_statuses census documents "
    "discussions questions bottlenecks presented"
).split()


def _sample_context() -> dict:
    from PIL import Image

    from simpatik.letters.render import logo_data_uri, qr_data_uri, verification_url

    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (60, 120, 200)).save(photo, "PNG")
    person = {"name": "Pemanasan", "position": "Kepala Dinas", "nip": "0", "rank": "IV/a"}
    return {
        "kop": settings.SIMPATIK_KOP,
        "logo": logo_data_uri(),
        "letter": {
            "title": "Naskah pemanasan",
            "number": "000/0/0/I/2000",
            "date_text": "1 Januari 2000",
            "verification_code": "PEMANASAN",
            "verification_url": verification_url("pemanasan"),
            "qr": qr_data_uri(verification_url("pemanasan")),
        },
        "project": _Row(),
        "values": _Row(),
        "addressee": "Kepala Dinas",
        "catatan": "Catatan pemanasan.\nBaris kedua.",
        "attendees": [("Nama Hadir", "Jabatan")] * 2,
        "photos": ["data:image/png;base64," + base64.b64encode(photo.getvalue()).decode()],
        "signer": person,
        **{name: [_Row(), _Row()] for name in TABLES},
    }


def _warm_rendering() -> bytes:
    """A throwaway letter of every shipped kind, one with two signers, and a draft."""
    from simpatik.core.pdf import html_to_pdf
    from simpatik.letters.kinds import KINDS

    templates = [get_template(f"letters/{key}.html") for key in KINDS]  # compiled and cached
    context = _sample_context()
    first = None
    for template in templates:
        pdf = html_to_pdf(template.render(context))
        first = first or pdf
    two_signers = {
        **context,
        "second_signer": {**context["signer"], "name": "Pihak Kedua"},
        "first_heading": "Yang menyampaikan,",
        "second_heading": "Yang menerima,",
    }
    html_to_pdf(templates[0].render(two_signers))
    html_to_pdf(templates[0].render({**context, "letter": {**context["letter"], "draft": True}}))
    return first


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


def _settle_the_heap() -> None:
    """What the start loaded (Django, WeasyPrint, the fonts, templates and keys) lives as long as
    the process. Moved out of the collector's way, a full collection during a letter walks only
    what that letter made, not the 200,000 objects of the start: about 10 ms of every letter."""
    gc.collect()
    gc.freeze()
