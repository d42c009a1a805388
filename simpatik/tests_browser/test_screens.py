"""Screens at phone and desktop width: nothing overflows the page, the swimlane scrolls in its box."""

import pytest
from playwright.sync_api import expect

from simpatik.testing.walker import walk_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, TABLET, DESKTOP = 390, 800, 1366


def _login(new_context, live_server, username, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Tugas Saya")).to_be_visible()
    return page


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_phone_pages_have_no_horizontal_overflow_and_show_deadline_and_step_list(
    new_context, live_server, project, team
):
    run = walk_to(project, team, 5)  # a step with a long description, open for the Kasie
    page = _login(new_context, live_server, "kasie", PHONE)
    for path in ("/tugas/", "/proyek/", f"/proyek/{project.pk}/", "/inventaris/", "/usulan/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1] == PHONE, (path, width)

    page.goto(f"{live_server.url}/tugas/")
    deadline = page.locator('td[data-label="Batas waktu"]').first
    expect(deadline).to_be_visible()
    expect(deadline).to_contain_text(run.due_date.strftime("%Y"))
    box = deadline.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE

    page.goto(f"{live_server.url}/proyek/{project.pk}/")
    expect(page.locator(".lane-wrap")).to_be_hidden()
    steps = page.locator(".lane-list li")
    expect(steps).to_have_count(len(project.definition.steps))
    current = page.locator(f'.lane-list li[data-step="{run.step_number}"]')
    expect(current).to_have_attribute("data-status", "current")
    expect(current).to_contain_text("Kasie e-Government")
    # Buttons stand on their own line, under the field they send.
    field = _box(page, "#complete-form textarea")
    button = _box(page, "#complete-button")
    assert button["y"] >= field["y"] + field["height"]
    upload = _box(page, 'input[type="file"][form="complete-form"]')
    assert _box(page, "button[data-upload]")["y"] >= upload["y"] + upload["height"]


def test_swimlane_scrolls_in_its_box_with_number_and_text_fixed(
    new_context, live_server, project, team
):
    walk_to(project, team, 3)
    page = _login(new_context, live_server, "kasie", DESKTOP)
    page.goto(f"{live_server.url}/proyek/{project.pk}/")
    expect(page.locator(".lane-list")).to_be_hidden()
    headers = page.locator("table.lane thead th")
    for index in range(headers.count()):  # no header cut at desktop width
        cut = headers.nth(index).evaluate("th => th.scrollWidth > th.clientWidth + 1")
        assert not cut, headers.nth(index).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP

    page.set_viewport_size({"width": TABLET, "height": 900})
    wrap = page.locator(".lane-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the grid needs scrolling here
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET
    before = {
        cell: _box(page, f"#langkah-1 {cell}")["x"] for cell in ("td:first-child", "td.uraian")
    }
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    page.wait_for_function("document.querySelector('.lane-wrap').scrollLeft > 0")
    for cell, x in before.items():
        assert abs(_box(page, f"#langkah-1 {cell}")["x"] - x) < 1, cell  # sticky
    last = _box(page, "#langkah-1 td:last-child")
    box = wrap.bounding_box()
    assert last["x"] + last["width"] <= box["x"] + box["width"] + 1  # Pelaksanaan in view
