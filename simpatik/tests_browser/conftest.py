import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def new_context(browser):
    """Browser contexts closed before the live server stops, so no request outlives the test."""
    made = []

    def make(**options):
        context = browser.new_context(**options)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture(autouse=True)
def _local_ca(pki_dir, settings, tmp_path):
    from simpatik.letters import pki

    pki.init_ca()
    settings.SIMPATIK_GIT_ROOT = tmp_path / "git"
    settings.SIMPATIK_DNS_ZONE = "bolmutkab.go.id"
