"""Users' photos as a letter prints them: upright, at print resolution, without their metadata.

Only the copy embedded in the PDF is reduced. The uploaded file stays stored untouched as the
project's document (the evidence, with its SHA-256 in the document list); nothing here writes it.
"""

import base64
import io
import logging
import struct
import threading

from PIL import Image, ImageFile, ImageOps

from simpatik.core.kept import Kept

logger = logging.getLogger(__name__)

# letters/letter.css prints a photo in a box of at most 78 x 60 mm (`.foto img`): 78 mm is 921
# pixels at 300 dpi, so 1000 on the longest side is all the paper can show. A 4000 x 3000 phone
# photo embedded whole made a berita acara several megabytes, slow to render and to sign.
PHOTO_MAX_PX = 1000
JPEG_QUALITY = 85
# Reduced copies kept per process: a preview re-renders the same photos; about 150 KB each.
CACHE_SIZE = 64
# Pillow only refuses an image above twice its MAX_IMAGE_PIXELS (about 179 MP) and merely warns
# from 89 MP. A JPEG is decoded at 1/8 scale by draft() whatever its size, but a PNG, GIF or WebP
# is decoded whole: a 13000 x 13000 one-colour PNG of 200 KB would hold about 1.3 GB while it is
# converted. Those formats are refused above this many pixels (a 40 MP photo is 7700 x 5200).
MAX_SOURCE_PIXELS = 40_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")

_cache = Kept(CACHE_SIZE)  # (document id, version, sha256) -> (kind, data URI or note)
_decode_lock = threading.Lock()

# What Pillow raises for a file it cannot decode: a truncated or corrupt image (OSError,
# EOFError, SyntaxError, struct.error, ValueError) or one too large to decode safely.
_UNREADABLE = (OSError, EOFError, SyntaxError, ValueError, struct.error)


def _reduced_jpeg(data: bytes) -> bytes:
    """The photo upright, no longer than PHOTO_MAX_PX, as a JPEG carrying no EXIF (no GPS)."""
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported, so a
    # photo whose upload broke off would print half grey. It is refused while we decode; the lock
    # keeps two decodes from restoring each other's value. The images WeasyPrint itself loads
    # meanwhile are whole (our re-encoded copies, the emblem), so the flag does not matter there.
    with _decode_lock:
        before, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            return _reduce(data)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _reduce(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
        if image.format != "JPEG" and image.width * image.height > MAX_SOURCE_PIXELS:
            raise Image.DecompressionBombError(f"{image.width}x{image.height}")
        # A JPEG decodes straight at 1/2, 1/4 or 1/8 scale: less memory and time for 12 MP.
        image.draft("RGB", (PHOTO_MAX_PX, PHOTO_MAX_PX))
        upright = ImageOps.exif_transpose(image)  # phones store rotation as an EXIF tag
        if upright.mode in ("RGBA", "LA", "PA") or (
            upright.mode == "P" and "transparency" in upright.info
        ):
            # Transparent parts print white, as on the paper, not black.
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        elif upright.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
            upright = upright.convert("I").point(lambda v: v / 256).convert("L")
        if upright.mode != "RGB":
            upright = upright.convert("RGB")  # CMYK, palette, grey: the PDF takes RGB JPEG
        upright.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # Saved without exif=, icc_profile= or comment: the GPS position and the camera's serial
    # must not reach an official public document.
    upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _reason(error: Exception) -> str:
    if isinstance(error, Image.DecompressionBombError):
        return "ukuran gambarnya melampaui batas yang dapat dicetak dengan aman"
    return "berkasnya rusak atau bukan gambar"


def embedded(document) -> tuple[str, str]:
    """("photo", data: URI) of the reduced copy, or ("note", why it cannot be printed).

    Kept per (document id, sha256): a stored document never changes, so neither does its copy.
    """
    key = (document.pk, document.version, document.sha256)
    found = _cache.get(key)
    if found is not None:
        return found
    try:
        with document.open() as handle:
            data = handle.read()
        reduced = _reduced_jpeg(data)
    except (Image.DecompressionBombError, *_UNREADABLE) as error:
        # The letter is still issued, saying which photo is missing and why, so a broken upload
        # (which stays the round's evidence and cannot be withdrawn) never blocks the step.
        logger.warning("photo %s v%s not printed: %r", document.key, document.version, error)
        result = (
            "note",
            f"Foto {document.name} (versi {document.version}) tidak dapat ditampilkan: "
            f"{_reason(error)}. Berkas aslinya tetap tersimpan sebagai dokumen proyek.",
        )
    else:
        result = ("photo", "data:image/jpeg;base64," + base64.b64encode(reduced).decode())
    return _cache.put(key, result)


def clear_cache() -> None:
    _cache.clear()
