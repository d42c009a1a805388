"""PDF rendering never reaches the network: only our static files, media and data: URIs."""

import base64
import io

import pypdf
from PIL import Image

from simpatik.core.pdf import html_to_pdf
from simpatik.testing.walker import open_run, walk_to
from simpatik.wiki import services as wiki


def images_on_first_page(pdf: bytes) -> int:
    resources = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
    return len(resources.get("/XObject") or {})


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_wiki_page_attached_as_pdf_does_not_make_the_server_fetch_its_links(
    project, team, recorder, caplog
):
    address, hits = recorder
    walk_to(project, team, 13)
    body = (
        f"# Petunjuk\n\n![x]({address}/p)\n\n"
        f'<link rel="stylesheet" href="{address}/css">\n\n<img src="{address}/img">'
    )
    version = wiki.save_page(project, actor=team[3], title="Petunjuk Pengguna", body=body)
    document = wiki.attach_as_evidence(
        version, open_run(project), actor=team[3], key="petunjuk_pengguna"
    )
    assert hits == []
    assert document.mime == "application/pdf"
    assert "sumber luar ditolak" in caplog.text and f"{address}/p" in caplog.text


def test_links_to_other_hosts_files_and_our_other_pages_are_dropped(recorder, settings):
    address, hits = recorder
    html = (
        f'<img src="{address}/a.png"><img src="file:///etc/passwd">'
        f'<img src="{settings.SIMPATIK_PUBLIC_URL}/admin/">'
        '<img src="/static/../../settings.py"><img src="/media/../../../etc/passwd">'
        f'<style>@import url("{address}/x.css"); p {{ background: url("{address}/bg"); }}</style>'
    )
    pdf = html_to_pdf(html)
    assert hits == [] and images_on_first_page(pdf) == 0


def test_our_static_images_uploaded_media_and_data_uris_still_render(settings):
    media = settings.MEDIA_ROOT / "dokumen"
    media.mkdir(parents=True)
    (media / "foto.png").write_bytes(png_bytes())
    data_uri = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    for src in ["/static/letters/lambang.svg", "/media/dokumen/foto.png", data_uri]:
        assert images_on_first_page(html_to_pdf(f'<img src="{src}">')) == 1, src
