"""The menu's links are reversed once per URL configuration (core.context_processors.NAV)."""

from django.urls import reverse, set_script_prefix

from simpatik.core.context_processors import NAV, simpatik


def test_the_menu_links_every_page_it_names(client, kadis):
    client.force_login(kadis)
    page = client.get("/tugas/").content.decode()
    for name in ("projects:tasks", "projects:needs", "projects:projects", "inventory:list"):
        assert f'href="{reverse(name)}"' in page
    assert f'action="{reverse("account_logout")}"' in page
    assert f'action="{reverse("set_language")}"' in page


def test_the_menu_follows_the_script_prefix(rf):
    """Served under a path (SCRIPT_NAME), the links carry it: the URLs are kept per prefix."""
    request = rf.get("/tugas/")
    try:
        set_script_prefix("/simpatik/")
        assert simpatik(request)["nav"]["tasks"] == "/simpatik/tugas/"
    finally:
        set_script_prefix("/")
    assert simpatik(request)["nav"]["tasks"] == "/tugas/"


def test_every_menu_entry_is_a_url_name():
    for name in NAV.values():
        assert reverse(name).startswith("/")
