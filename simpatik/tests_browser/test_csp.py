"""Every main page keeps to the strict Content-Security-Policy in a real browser, for each persona.

A violation shows up three ways, and each is watched: a console message naming the Content
Security Policy, a `pageerror` (blocked eval, e.g. htmx's hx-on), and a report POSTed to
/csp-report/. The last visit breaks the policy on purpose, to prove the watchers see it.
"""

import logging
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from simpatik.letters.models import Letter
from simpatik.testing.walker import complete_current

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Reports(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def csp_reports():
    handler = Reports()
    logger = logging.getLogger("simpatik.csp")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


class Watcher:
    def __init__(self):
        self.console, self.errors = [], []

    def attach(self, page):
        page.on(
            "console",
            lambda m: (
                "Content Security Policy" in m.text and self.console.append(f"{page.url}: {m.text}")
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        return page


def page_as(new_context, live_server, watcher, user=None):
    context = new_context(viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    page = watcher.attach(context.new_page())
    page.set_default_timeout(15000)
    return page


def issued_letter(project, kadis):
    """Signing runs its own asyncio loop: not in this thread, where Playwright's loop runs."""
    made = []

    def issue():
        try:
            # Completing step 1 issues its Surat Perintah.
            run = complete_current(project, [kadis], extra_fields={"rujukan_usulan": "U-1"})
            made.extend(Letter.objects.filter(step_run=run))
        finally:
            connection.close()

    worker = threading.Thread(target=issue)
    worker.start()
    worker.join()
    return made[0]


def test_main_pages_raise_no_csp_violation(
    new_context, live_server, csp_reports, project, team, opd_user, kadis
):
    letter = issued_letter(project, kadis)
    base = live_server.url
    watcher = Watcher()

    anonymous = page_as(new_context, live_server, watcher)
    for path in ["/masuk/", "/katalog/", f"/verifikasi/{letter.verification_code}/"]:
        anonymous.goto(base + path)
        anonymous.wait_for_load_state("networkidle")
    expect(anonymous.locator("main")).to_contain_text(letter.number)
    anonymous.select_option("#bahasa", "en")  # the language menu submits itself (app.js)
    expect(anonymous.locator("html")).to_have_attribute("lang", "en")
    anonymous.select_option("#bahasa", "id")
    expect(anonymous.locator("html")).to_have_attribute("lang", "id")

    kasie = page_as(new_context, live_server, watcher, team[2])
    for path in ["/tugas/", "/inventaris/", "/inventaris/ringkasan/", "/sop/", "/dns/"]:
        kasie.goto(base + path)
        kasie.wait_for_load_state("networkidle")
    kasie.goto(f"{base}/proyek/")
    kasie.locator("#id_q").fill("Kepegawaian")  # htmx filter: swaps the rows in place
    expect(kasie.locator("#rows")).to_contain_text(project.nama)
    kasie.goto(f"{base}/proyek/{project.pk}/")
    kasie.locator('a[hx-get="?langkah=2"]').first.click()  # htmx: the step panel for step 2
    expect(kasie.locator("#step-panel")).to_contain_text("Langkah 2")
    kasie.goto(f"{base}/api/docs/")
    expect(kasie.locator(".swagger-ui")).to_be_visible()
    kasie.wait_for_load_state("networkidle")

    opd = page_as(new_context, live_server, watcher, opd_user)
    for path in ["/tugas/", f"/proyek/{project.pk}/", "/inventaris/"]:
        opd.goto(base + path)
        opd.wait_for_load_state("networkidle")

    assert watcher.console == [] and watcher.errors == [] and csp_reports == []

    # The control: an inline script is blocked, logged in the console and reported to us.
    with opd.expect_request(lambda r: r.url.endswith("/csp-report/")) as reported:
        opd.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = 1'; document.body.appendChild(s); }"
        )
    assert reported.value.method == "POST"
    assert opd.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in text for text in watcher.console)


def test_every_page_carries_the_policy_and_the_permissions_policy(client, db):
    response = client.get("/masuk/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert client.get("/katalog/").headers["Content-Security-Policy"] == policy
