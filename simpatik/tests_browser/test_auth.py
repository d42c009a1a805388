"""Signing in with a second factor in the real browser, with no script error on the way."""

from pathlib import Path

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

ARTIFACTS = Path("test-artifacts")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page):
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    return problems


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_totp_login_in_the_browser(new_context, live_server, kasie, width, height):
    secret = generate_totp_secret()
    TOTP.activate(kasie, secret)
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(15000)
    problems = watch(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/masuk/")
    page.screenshot(path=str(ARTIFACTS / f"masuk-{width}.png"), full_page=True)
    page.get_by_label("Nama pengguna").fill("kasie")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    code = page.locator("input[name=code]")
    expect(code).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"mfa-kode-{width}.png"), full_page=True)
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Tugas Saya")).to_be_visible()
    page.goto(f"{live_server.url}/akun/2fa/")
    page.screenshot(path=str(ARTIFACTS / f"mfa-index-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/akun/password/change/")
    expect(page.locator("input[name=oldpassword]")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"ganti-sandi-{width}.png"), full_page=True)
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, f"page is {width_now}px wide on a {width}px screen"
    assert problems == []


def test_passkey_as_second_factor_with_a_virtual_authenticator(
    new_context, live_server, kasie, settings
):
    """WebAuthn needs a secure context: http://localhost counts as one, 127.0.0.1 does not."""
    from allauth.mfa.models import Authenticator

    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    base = live_server.url.replace("127.0.0.1", "localhost")
    context = new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = watch(page)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    def sign_in():
        page.goto(f"{base}/masuk/")
        page.get_by_label("Nama pengguna").fill("kasie")
        page.get_by_label("Kata sandi").fill("rahasia-123")
        page.get_by_role("button", name="Masuk", exact=True).click()

    sign_in()
    expect(page.get_by_role("heading", name="Tugas Saya")).to_be_visible()
    page.goto(f"{base}/akun/2fa/webauthn/add/")
    page.locator("input[name=password]").fill("rahasia-123")  # a fresh login does not count
    page.locator("input[name=password]").press("Enter")
    page.locator("input[name=name]").fill("Laptop kantor")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=kasie, type="webauthn").count() == 1
    page.goto(f"{base}/keluar/")
    page.get_by_role("button", name="Keluar").last.click()
    sign_in()
    page.locator("#mfa_webauthn_authenticate").click()
    expect(page.get_by_role("heading", name="Tugas Saya")).to_be_visible()
    assert problems == []
