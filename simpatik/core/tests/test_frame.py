"""The page header is built once per language and menu and reused (core.templatetags.frame)."""

import re

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from simpatik.core.templatetags import frame
from simpatik.notifications import services


def _header(client, path="/tugas/"):
    page = client.get(path).content.decode()
    return page[page.index('<header class="top">') : page.index("</header>")]


def _signed_in(user, language="id"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_kept_header_follows_the_role(kadis, pengembang):
    frame.clear()
    dashboard = f'href="{reverse("oversight:dashboard")}"'
    assert dashboard in _header(_signed_in(kadis))
    # pengembang's header is a different entry: the kadis's menu is never shown to them
    assert dashboard not in _header(_signed_in(pengembang))
    assert dashboard in _header(_signed_in(kadis))


def test_the_kept_header_follows_the_language(kadis):
    frame.clear()
    indonesian = _header(_signed_in(kadis, "id"))
    english = _header(_signed_in(kadis, "en"))
    assert "Tugas Saya" in indonesian and "Keluar" in indonesian
    assert "My Tasks" in english and "Log out" in english and "Tugas Saya" not in english
    assert '<option value="en" selected>' in english
    assert '<option value="id" selected>' in indonesian


def test_an_administrator_sees_the_admin_links_others_do_not(kasie, outsider):
    frame.clear()
    admin = f'href="{reverse("admin:index")}"'
    kasie.is_staff = True
    kasie.save(update_fields=["is_staff"])
    assert admin in _header(_signed_in(kasie))
    assert admin not in _header(_signed_in(outsider))


def test_the_per_request_values_are_filled_in_each_time(kasie, kadis):
    frame.clear()
    client = _signed_in(kasie)
    first = _header(client)
    assert 'class="count"' not in first and kasie.display_name in first
    with transaction.atomic():
        services.notify("tugas.baru", [kasie], key="k:1", message="Ada tugas.", url="/tugas/")
    second = _header(client, "/proyek/?q=a%26b")
    assert '<span class="count">1</span>' in second
    assert ": 1" in second  # the bell's label counts too
    assert 'name="next" type="hidden" value="/proyek/?q=a%26b"' in second
    # the kept header does not carry kasie's name to the next user
    assert kasie.display_name not in _header(_signed_in(kadis)) or (
        kasie.display_name == kadis.display_name
    )


def test_each_request_has_its_own_csrf_token_in_the_header(kasie):
    frame.clear()
    client = _signed_in(kasie)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = token.findall(_header(client))
    second = token.findall(_header(client))
    assert len(first) == 2 and len(second) == 2
    assert first != second  # masked afresh per request, as {% csrf_token %} does
    assert "\x00" not in _header(client)


def test_the_kept_header_equals_the_first_rendering(kasie):
    """A header built from the kept text is the one rendered from the template."""
    frame.clear()
    client = _signed_in(kasie)
    mask = re.compile(r'value="[A-Za-z0-9]{64}"')
    built = mask.sub("T", _header(client))
    kept = mask.sub("T", _header(client))
    assert built == kept


def test_the_anonymous_header_offers_the_catalogue_and_login(client, db):
    frame.clear()
    header = _header(client, reverse("inventory:catalogue"))
    assert f'href="{reverse("account_login")}"' in header
    assert f'href="{reverse("projects:tasks")}"' not in header
