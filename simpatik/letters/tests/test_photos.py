"""Users' photos in a berita acara: printed reduced, upright and without EXIF; the upload kept."""

import hashlib
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from simpatik.letters import photos
from simpatik.letters.tests.helpers import complete_with_letters, pdf_bytes, text_of
from simpatik.projects import services as project_services
from simpatik.projects.models import Document
from simpatik.testing.walker import open_run, walk_to

KEY = "foto_presentasi_rencana"  # the photos of the plan's presentation (step 10)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def _fresh_cache():
    photos.clear_cache()
    yield
    photos.clear_cache()


def phone_photo() -> bytes:
    """4000 x 3000 as the sensor stored it, red on the left and blue on the right, with the EXIF
    a phone held upright writes: rotate 90° clockwise to view (6), and where it was taken."""
    image = Image.new("RGB", (4000, 3000), (220, 30, 30))
    image.paste((30, 30, 220), (2000, 0, 4000, 3000))
    noise = Image.effect_noise((4000, 3000), 60).convert("RGB")
    image = Image.blend(image, noise, 0.25)  # a real photo's grain: the file is megabytes
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "S", 2: (8.0, 30.0, 0.0), 3: "E", 4: (118.0, 20.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def _upload(project, team, name: str, content: bytes) -> Document:
    run = open_run(project)
    return project_services.upload_document(
        run, actor=team[3], key=KEY, uploaded=SimpleUploadedFile(name, content)
    )


def _largest_image(pdf: bytes):
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    return max(images, key=lambda image: image.image.width * image.image.height)


def test_a_phone_photo_is_printed_upright_at_print_size_without_gps(project, team):
    walk_to(project, team, 10)
    original = phone_photo()
    document = _upload(project, team, "presentasi.jpg", original)

    letter = complete_with_letters(project, team)[0]
    pdf = pdf_bytes(letter)

    assert len(pdf) < len(original) / 4  # the letter no longer carries the photo whole
    embedded = _largest_image(pdf)
    printed = Image.open(io.BytesIO(embedded.data))
    # Upright: the sensor's landscape 4000 x 3000 viewed as the phone was held, 750 x 1000.
    assert printed.size == (750, 1000)
    top = printed.convert("RGB").getpixel((375, 100))
    bottom = printed.convert("RGB").getpixel((375, 900))
    assert top[0] > top[2] and bottom[2] > bottom[0]  # the left (red) went to the top
    assert GPS_IFD not in printed.getexif() and not printed.getexif()
    # The upload stays the evidence, byte for byte.
    document.refresh_from_db()
    with document.open() as handle:
        stored = handle.read()
    assert stored == original
    assert hashlib.sha256(stored).hexdigest() == document.sha256


def _bomb_png() -> bytes:
    """A valid PNG header announcing 30000 x 30000 pixels (900 MP) over a few bytes of data."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_bomb_or_a_truncated_photo_is_named_in_the_letter_which_is_still_issued(project, team):
    walk_to(project, team, 10)
    _upload(project, team, "bom.png", _bomb_png())
    truncated = phone_photo()[:40_000]  # a JPEG whose upload broke off
    document = _upload(project, team, "putus.jpg", truncated)

    letter = complete_with_letters(project, team)[0]

    text = text_of(letter)
    assert "Foto bom.png (versi 1) tidak dapat ditampilkan: ukuran gambarnya melampaui" in text
    assert "Foto putus.jpg (versi 2) tidak dapat ditampilkan: berkasnya rusak" in text
    assert letter.document_id is not None  # issued and signed, not left half-made
    with document.open() as handle:
        assert handle.read() == truncated


@pytest.mark.parametrize(
    "mode, size, colour",
    [
        ("CMYK", (1200, 800), (0, 255, 255, 0)),  # red in CMYK
        ("RGBA", (40, 30), (200, 0, 0, 0)),  # fully transparent: prints white
        ("P", (50, 50), None),
        ("LA", (20, 20), (10, 255)),
        ("I;16", (30, 30), 65535),
        ("RGB", (1, 1), (200, 0, 0)),
    ],
)
def test_any_image_mode_becomes_a_small_rgb_jpeg(mode, size, colour):
    image = Image.new(mode, size, colour)
    out = io.BytesIO()
    # The formats an upload may be as a photo (core.files): a CMYK photo comes as a JPEG.
    image.save(out, "JPEG" if mode == "CMYK" else "PNG")
    printed = Image.open(io.BytesIO(photos._reduced_jpeg(out.getvalue())))
    assert printed.format == "JPEG" and printed.mode == "RGB"
    assert max(printed.size) <= photos.PHOTO_MAX_PX
    if mode == "CMYK":
        assert printed.size == (1000, 667)
        red, green, blue = printed.getpixel((10, 10))
        assert red > 200 and green < 60 and blue < 60
    if mode == "RGBA":
        assert min(printed.getpixel((5, 5))) > 240


class _Stored:
    """A stored document as photos.embedded sees it, counting how often it is read."""

    pk, version, key, name = 7, 1, KEY, "f.jpg"

    def __init__(self, content: bytes):
        self.content, self.sha256, self.reads = content, hashlib.sha256(content).hexdigest(), 0

    def open(self):
        self.reads += 1
        return io.BytesIO(self.content)


def test_a_re_render_reuses_the_reduced_copy_and_a_broken_photo_is_not_decoded_again():
    out = io.BytesIO()
    Image.new("RGB", (2000, 1500), (0, 90, 0)).save(out, "JPEG")
    good, broken = _Stored(out.getvalue()), _Stored(b"\xff\xd8\xff\xe0 not a jpeg")
    broken.pk = 8
    first = photos.embedded(good)
    assert photos.embedded(good) == first and good.reads == 1
    assert first[0] == "photo" and first[1].startswith("data:image/jpeg;base64,")
    assert photos.embedded(broken)[0] == "note"
    assert photos.embedded(broken)[0] == "note" and broken.reads == 1


def test_a_png_over_the_source_limit_is_refused_but_a_jpeg_of_that_size_is_printed(monkeypatch):
    """A PNG is decoded whole (a JPEG at 1/8 scale), so only it is refused above the limit."""
    monkeypatch.setattr(photos, "MAX_SOURCE_PIXELS", 50 * 50)
    big = Image.new("RGB", (60, 60), (200, 10, 10))
    png, jpeg = io.BytesIO(), io.BytesIO()
    big.save(png, "PNG")
    big.save(jpeg, "JPEG")
    with pytest.raises(Image.DecompressionBombError):
        photos._reduced_jpeg(png.getvalue())
    with Image.open(io.BytesIO(photos._reduced_jpeg(jpeg.getvalue()))) as printed:
        assert printed.size == (60, 60)
    small = io.BytesIO()
    Image.new("RGB", (50, 50)).save(small, "PNG")
    with Image.open(io.BytesIO(photos._reduced_jpeg(small.getvalue()))) as printed:
        assert printed.size == (50, 50)
