"""Where the parts of a letter fall on its pages."""

import io

from django.template import Context, Template
from pypdf import PdfReader

from simpatik.core.pdf import html_to_pdf
from simpatik.letters.render import logo_data_uri

NOTE = "Dokumen ini ditandatangani secara elektronik"

# A landscape letter (as the monitoring report is) whose body is a block of a given height, so
# that across the heights tried the page ends before, inside and after the closing part.
LETTER = Template(
    '{% extends "letters/base_letter.html" %}'
    "{% block style %}@page { size: A4 landscape; }{% endblock %}"
    '{% block body %}<div style="height: {{ height }}mm">Isi laporan</div>{% endblock %}'
    "{% block closing %}<p>Demikian laporan ini disampaikan.</p>{% endblock %}"
)


def _pages(height: int) -> list[str]:
    context = {
        "height": height,
        "logo": logo_data_uri(),
        "kop": {"pemerintah": "PEMERINTAH", "dinas": "DINAS", "alamat": "", "kontak": ""},
        "letter": {
            "title": "Laporan",
            "number": "000/1/DISKOMINFO/XI/2026",
            "date_text": "",
            "verification_code": "ABCDE-12345",
            "verification_url": "http://x/v/",
            "qr": "",
        },
        "signer": {"name": "SIMPATIK (sistem)", "position": "Sistem", "sealed": True},
    }
    pdf = html_to_pdf(LETTER.render(Context(context)))
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_e_signature_note_is_never_alone_on_the_last_page():
    seen_two_pages = False
    for height in range(60, 130, 5):
        pages = _pages(height)
        assert NOTE in pages[-1]
        assert "Demikian laporan ini disampaikan" in pages[-1], (height, pages[-1])
        seen_two_pages = seen_two_pages or len(pages) > 1
    assert seen_two_pages  # the heights tried do push the closing part over a page end
