"""One project through all 18 steps in the real UI, each role logged in through the login page."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from simpatik.projects.models import Project
from simpatik.testing.walker import release_tag, sample_pdf

ARTIFACTS = Path("test-artifacts")  # screenshots kept for people to look at
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(new_context, live_server, username):
    context = new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    # Each lands where their work is: SOP roles on Tugas Saya, OPD staff on Usulan saya.
    expect(page.locator("h1")).to_have_text(re.compile(r"^(Tugas Saya|Usulan saya)$"))
    return page


def do_step(page, project_url, number, *, decision=None, reason="", fields=None):
    """Upload what is missing, fill the fields, look at the draft, decide, complete.

    Documents the SOP generates are issued by the completion itself."""
    page.goto(project_url)
    expect(page.locator("#step-title")).to_contain_text(f"Langkah {number}")
    while True:
        missing = page.locator("li.missing:not([data-generate]) input[type=file]")
        if missing.count() == 0:
            break
        field = missing.first
        key = field.get_attribute("id").removeprefix("file-")
        field.set_input_files(
            files=[{"name": f"{key}.pdf", "mimeType": "application/pdf", "buffer": sample_pdf(key)}]
        )
        page.locator(f'button[data-upload="{key}"]').click()
        expect(page.locator(f'li[data-key="{key}"]')).to_have_class(re.compile(r"\bok\b"))
    form = _fill(page, fields)
    for preview in page.locator("button[data-preview]").all():
        # The draft of the document this step makes, from the form as typed: watermarked, no
        # number, nothing issued yet. (Fetched as the button posts it; the tab would download.)
        response = page.request.post(
            page.url.split("/proyek/")[0] + preview.get_attribute("formaction"),
            form={
                "csrfmiddlewaretoken": form.locator("[name=csrfmiddlewaretoken]").input_value(),
            },
        )
        draft = _pdf_text(response.body())
        assert response.status == 200 and "DRAF" in draft
        assert not re.search(r"\d+/DISKOMINFO/", draft)
    if decision:
        form.locator(f'input[name=decision][value="{decision}"]').check()
    if reason:
        form.locator("#f-reason").fill(reason)
    page.locator("#complete-button").click()
    expect(page.locator(".messages")).to_contain_text(f"Langkah {number} selesai.")


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _fill(page, fields):
    form = page.locator("#complete-form")
    for box in form.locator(
        "textarea:not(#f-reason):not([name=catatan]):not([name=attendees])"
    ).all():
        if not box.input_value():
            box.fill(f"Catatan {box.get_attribute('name')}")
    for box in form.locator("input[inputmode=decimal]").all():
        if not box.input_value():
            box.fill("20")
    for select in form.locator("select:not([multiple])").all():
        if not select.input_value():
            select.select_option(index=1)
    for group in form.locator("fieldset.choices").all():
        boxes = group.locator("input[type=checkbox]")
        if boxes.count() and not group.locator("input:checked").count():
            boxes.first.check()
    for key, value in (fields or {}).items():
        form.locator(f'[name="{key}"]').fill(value)
    return form


def test_a_project_goes_through_all_18_steps_in_the_browser(
    new_context, live_server, team, opd_user
):
    pages = {user.username: login(new_context, live_server, user.username) for user in team}
    opd_page = login(new_context, live_server, "opd")

    opd_page.goto(f"{live_server.url}/usulan/baru/")
    opd_page.get_by_label("Nama aplikasi yang diusulkan").fill("Aplikasi Cuti Online")
    opd_page.get_by_label("Latar belakang dan kebutuhan").fill(
        "Pengajuan cuti masih memakai kertas."
    )
    opd_page.get_by_role("button", name="Kirim usulan").click()
    expect(opd_page.locator(".messages")).to_contain_text("tersimpan")

    kadis = pages["kadis"]
    kadis.goto(f"{live_server.url}/usulan/")
    kadis.get_by_role("link", name=re.compile("USL-")).click()
    kadis.get_by_role("button", name="Mulai proyek dari usulan ini").click()
    expect(kadis.locator(".messages")).to_contain_text("dimulai")
    project = Project.objects.get()
    url = f"{live_server.url}/proyek/{project.pk}/"

    # A wrong-role user sees the step but gets no form to act on it.
    pages["kabid"].goto(url)
    expect(pages["kabid"].locator("#complete-form")).to_have_count(0)

    plan = [
        (1, {}),
        (2, {}),
        (3, {}),
        (4, {}),
        (5, {}),
        (6, {"decision": "tersedia"}),
        (8, {}),
        (9, {}),
        (10, {}),
        (11, {"decision": "tidak_setuju", "reason": "Mockup belum sesuai standar"}),
        (9, {}),
        (10, {}),
        (11, {"decision": "setuju"}),
        (12, {"fields": {"rilis_kode_sumber": "v1.0"}}),
        (13, {}),
        (14, {}),
        (15, {"decision": "perbaikan", "reason": "Hasil pentest menunjukkan celah"}),
        (12, {"fields": {"rilis_kode_sumber": "v1.0"}}),
        (13, {}),
        (14, {}),
        (15, {"decision": "diterima"}),
        (16, {"fields": {"subdomain": "cuti", "isi_rekaman": "10.10.1.20"}}),
        (17, {}),
        (18, {}),
    ]
    for number, options in plan:
        role = project.definition.step(number).role
        if number == 12:
            release_tag(project)  # the developers push the release the step names
        if number == 6:  # the Kabid reads the Kasie's analysis and cannot replace it
            analysis = pages[role].locator('li[data-key="dokumen_analisis"]')
            pages[role].goto(url)
            expect(analysis).to_contain_text("dari langkah 5")
            expect(analysis.locator("input[type=file]")).to_have_count(0)
        do_step(pages[role], url, number, **options)
        if number == 8:
            # The repository is made by a background job: the page says so until a worker ran it.
            follower = pages["teknis"]
            follower.goto(url)
            expect(follower.locator("#repository-state")).to_have_text("Sedang dibuat")
            call_command("worker", "--once", "--no-schedule", "--interval", "0")
            follower.reload()
            expect(follower.locator("#repository-state")).to_have_text("Siap")
            expect(follower.locator("#clone-url")).to_contain_text(".git")

    project.refresh_from_db()
    assert project.status == "selesai"
    final = pages["kadis"]
    final.goto(url)
    expect(final.locator("#project-status")).to_have_text("Selesai")
    expect(final.locator("tr[data-status=done]")).to_have_count(17)
    expect(final.locator("#langkah-7")).to_have_attribute("data-status", "pending")
    final.get_by_role("link", name="Riwayat").click()
    expect(final.locator("#history")).to_contain_text("Proyek selesai dengan langkah 18")
    expect(final.locator("#history")).to_contain_text("Mockup belum sesuai standar")
    # What a reader sees of the history (without opening "rincian") holds no raw key or value.
    # (Values this test typed, "Catatan <field>", and uploaded file names are people's text.)
    shown = re.sub(
        r"Catatan \w+|[\w-]+\.(pdf|zip|png)\b", "", final.locator("#history").inner_text()
    )
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b(?!\.\w)|project\.|\{|\bNone\b", shown), shown
    # Step 18's approval published the subdomain through a job: on its way until a worker ran.
    final.goto(url)
    state = final.locator("#subdomain-panel [data-dns-state]")
    expect(state).to_have_attribute("data-dns-state", "penerbitan")
    call_command("worker", "--once", "--no-schedule", "--interval", "0")
    final.reload()
    expect(state).to_have_attribute("data-dns-state", "terbit")
    # Step 8 gave the team a repository they clone with git; step 18 put the subdomain in DNS.
    _clone_and_push(live_server, project, team[3])
    from simpatik.provisioning.dns.zonefile import zone_text
    from simpatik.provisioning.models import Subdomain

    assert Subdomain.objects.get(project=project).status == "terbit"
    assert "cuti 3600 IN A 10.10.1.20" in zone_text()
    # Every document the SOP generates is a signed PDF in the project, verifiable by the public.
    from simpatik.letters.models import Letter

    letters = Letter.objects.filter(project=project)
    assert set(letters.values_list("kind", flat=True)) == {
        "surat_perintah",
        "berita_acara_rencana",
        "berita_acara_hasil",
        "laporan_instalasi",
        "surat_rekomendasi",
        "laporan_pengembangan",
        "persetujuan_aplikasi",
    }
    # One per step and round: the 11 -> 9 and 15 -> 12 loops ran steps 10, 13 and 14 twice.
    assert sorted(letters.values_list("step_number", flat=True)) == [
        1,
        10,
        10,
        13,
        13,
        14,
        14,
        16,
        17,
        18,
    ]
    assert all(
        letter.ditandatangani and letter.document_id and letter.status == "berlaku"
        for letter in letters
    )
    for letter in letters:
        with letter.open() as handle:
            text = _pdf_text(handle.read())
        assert "None" not in text and "{" not in text and "tidak_setuju" not in text
    public = new_context().new_page()
    recommendation = letters.get(kind="surat_rekomendasi")
    public.goto(f"{live_server.url}/verifikasi/{recommendation.verification_code}/")
    expect(public.locator("#letter-meta")).to_contain_text(recommendation.number)
    runs = list(
        project.step_runs.filter(step_number__in=[11, 15]).values_list(
            "step_number", "round", "decision"
        )
    )
    assert sorted(runs) == [
        (11, 1, "tidak_setuju"),
        (11, 2, "setuju"),
        (15, 1, "perbaikan"),
        (15, 2, "diterima"),
    ]


def test_missing_kelengkapan_shows_a_clear_message_and_changes_nothing(
    new_context, live_server, team, opd
):
    from simpatik.projects import services

    project = services.start_project(actor=team[0], nama="Aplikasi Uji", opd=opd)
    page = login(new_context, live_server, "kadis")
    page.goto(f"{live_server.url}/proyek/{project.pk}/")
    page.locator("#complete-button").click()
    expect(page.locator("#step-error")).to_contain_text(
        "Kelengkapan belum lengkap: Usulan/permintaan aplikasi"
    )
    assert project.step_runs.get().status == "berjalan"


def test_phone_width_and_keyboard_only(new_context, live_server, team, opd):
    from simpatik.projects import services

    project = services.start_project(actor=team[0], nama="Aplikasi Ponsel", opd=opd)
    context = new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.keyboard.type("kadis")  # the user name field has focus on arrival
    page.keyboard.press("Tab")
    page.keyboard.type("rahasia-123")
    page.keyboard.press("Enter")
    # Each lands where their work is: SOP roles on Tugas Saya, OPD staff on Usulan saya.
    expect(page.locator("h1")).to_have_text(re.compile(r"^(Tugas Saya|Usulan saya)$"))
    page.goto(f"{live_server.url}/proyek/{project.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page is {width}px wide on a 375px screen"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "project-phone.png"))


def _clone_and_push(live_server, project, developer):
    import subprocess
    import tempfile

    from simpatik.provisioning.models import Repository

    repository = Repository.objects.get(project=project)
    assert repository.status == "siap", repository.error
    host = live_server.url.split("://", 1)[1]
    url = f"http://{developer.username}:rahasia-123@{host}/git/{repository.name}.git"
    env = {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Dimas",
        "GIT_AUTHOR_EMAIL": "d@x.id",
        "GIT_COMMITTER_NAME": "Dimas",
        "GIT_COMMITTER_EMAIL": "d@x.id",
        "PATH": "/usr/bin:/bin",
    }
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            ["git", "clone", url, work], check=True, env={**env, "HOME": work}, capture_output=True
        )
        Path(work, "README.md").write_text("# Aplikasi Cuti Online\n")
        for command in (["add", "."], ["commit", "-m", "Awal"], ["push", "origin", "HEAD:main"]):
            subprocess.run(
                ["git", *command],
                cwd=work,
                check=True,
                env={**env, "HOME": work},
                capture_output=True,
            )
