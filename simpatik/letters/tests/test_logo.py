"""The installation's logo (SIMPATIK_LOGO_FILE) replaces the placeholder in letters and the SOP sheet."""

import io

from django.test import Client
from pypdf import PdfReader

from simpatik.letters import services
from simpatik.letters.tests.test_letters import _png
from simpatik.testing.walker import open_run


def _images(pdf: bytes) -> list:
    return [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def test_the_installation_logo_is_in_letters_and_the_sop_sheet(project, team, settings, tmp_path):
    before_sheet = Client().get(f"/sop/{project.sop_version_id}/dokumen.pdf").content
    before_letter = services.preview(open_run(project), "surat_perintah", user=team[0])
    logo = tmp_path / "lambang-bolmut.png"
    logo.write_bytes(_png())
    settings.SIMPATIK_LOGO_FILE = str(logo)
    settings.SIMPATIK_KOP = {**settings.SIMPATIK_KOP, "logo": str(logo)}

    sheet = Client().get(f"/sop/{project.sop_version_id}/dokumen.pdf").content
    assert len(_images(sheet)) == len(_images(before_sheet)) + 1
    page = Client().get(f"/sop/{project.sop_version_id}/dokumen/").content.decode()
    assert "<image " in page and "data:image/png;base64," in page
    letter = services.preview(open_run(project), "surat_perintah", user=team[0])
    assert len(_images(letter)) == len(_images(before_letter)) + 1  # PNG instead of the SVG emblem


def _picture(width: int, height: int, kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 79, 138)).save(out, kind)
    return out.getvalue()


def test_a_large_logo_is_printed_at_the_letterheads_size_and_reread_when_replaced(
    project, team, settings, tmp_path
):
    from simpatik.letters.render import LOGO_WIDTH_PX

    logo = tmp_path / "lambang-besar.png"
    logo.write_bytes(_picture(1000, 1200, "PNG"))
    settings.SIMPATIK_KOP = {**settings.SIMPATIK_KOP, "logo": str(logo)}
    letter = services.preview(open_run(project), "surat_perintah", user=team[0])
    (emblem,) = _images(letter)
    assert emblem.image.size == (LOGO_WIDTH_PX, 312)  # its proportions kept

    logo.write_bytes(_picture(100, 50, "JPEG"))  # a smaller one replaces it: printed as it is
    letter = services.preview(open_run(project), "surat_perintah", user=team[0])
    (emblem,) = _images(letter)
    assert emblem.image.size == (100, 50)
