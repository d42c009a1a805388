"""Font subsetting in PDFs costs the same whatever number of glyphs a document uses."""

import io
import re

import pypdf

from simpatik.core.pdf import _OpenArrays, html_to_pdf


def test_font_subsetting_asks_cffi_for_no_array_type_per_glyph_count(monkeypatch):
    from weasyprint.text.ffi import ffi

    asked = []
    real_new = ffi.new

    def recording(cdecl, init=None):
        asked.append(cdecl)
        return real_new(cdecl, init)

    monkeypatch.setattr(ffi, "new", recording)
    for text in ("Naskah dinas", "Surat Perintah Pengembangan Aplikasi 800/1/2026"):
        pdf = html_to_pdf(f"<p>{text}</p><p><b>{text[::-1]}</b></p>")
        page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert text in page and text[::-1] in page  # both fonts subset and embedded
    assert "hb_codepoint_t[]" in asked
    assert not [cdecl for cdecl in asked if re.fullmatch(r"hb_codepoint_t\[\d+\]", cdecl)]


def test_an_open_array_holds_what_the_sized_one_would():
    from weasyprint.text.ffi import ffi

    arrays = _OpenArrays(ffi)
    assert list(arrays.new("hb_codepoint_t[3]", [5, 6, 7])) == [5, 6, 7]
    assert list(arrays.new("hb_codepoint_t[4]", [1, 2])) == [1, 2, 0, 0]  # not its length: as is
    assert arrays.NULL == ffi.NULL


SHEET = '<meta name="simpatik-stylesheet" content="letters/letter.css">'


def _page(pdf: bytes):
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0]


def test_a_named_stylesheet_is_parsed_once_and_the_documents_own_style_wins(monkeypatch):
    import weasyprint

    from simpatik.core import pdf as engine

    parsed = []
    real_css = weasyprint.CSS

    def counted(*args, **kwargs):
        parsed.append(kwargs.get("base_url"))
        return real_css(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", counted)
    monkeypatch.setattr(engine._fonts, "config", None)  # a fresh thread's fonts and sheets
    portrait = html_to_pdf(
        f'<html><head>{SHEET}</head><body><p class="hash">ab12</p></body></html>'
    )
    landscape = html_to_pdf(
        f"<html><head>{SHEET}<style>@page {{ size: A4 landscape; }}</style></head>"
        "<body><p>Naskah</p></body></html>"
    )
    assert len(parsed) == 1 and parsed[0].endswith("/static/letters/letter.css")
    assert [round(float(v)) for v in _page(portrait).mediabox[2:]] == [595, 842]
    fonts = [font["/BaseFont"] for font in _page(portrait)["/Resources"]["/Font"].values()]
    assert any("Sans-Mono" in name for name in fonts), fonts  # the sheet's .hash rule
    assert [round(float(v)) for v in _page(landscape).mediabox[2:]] == [842, 595]


def test_a_stylesheet_that_is_not_ours_is_not_read(caplog):
    html = (
        '<html><head><meta name="simpatik-stylesheet" content="../../settings.css">'
        '<meta name="simpatik-stylesheet" content="letters/tidak-ada.css"></head>'
        "<body><p>Naskah</p></body></html>"
    )
    assert "Naskah" in _page(html_to_pdf(html)).extract_text()
    assert caplog.text.count("lembar gaya tidak ditemukan") == 2


def test_full_width_letters_and_digits_print_as_the_ascii_they_are():
    """Typed with an East Asian input method, "No. ００５/123" printed as empty boxes in a signed
    letter (no glyphs in the document fonts); "m²" and "½" stay as written."""
    pdf = html_to_pdf("<p>No. ００５／１２３ ＡＢ　cd · 20 m² · ½</p>")
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "No. 005/123 AB cd" in text
    assert "m²" in text and "½" in text
