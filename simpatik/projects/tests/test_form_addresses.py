"""Addresses that only take a form, opened as a page."""

from django.urls import reverse


def test_a_step_action_address_opened_directly_leads_back_to_its_step(client, kadis, project):
    """After a refused action the address bar keeps the action's address: a reload or the
    language switch opens it with GET, which showed the browser's own 405 page."""
    client.force_login(kadis)
    page = client.get(f"/proyek/{project.pk}/langkah/1/selesai/?opd=7")
    assert page.status_code == 302
    assert page["Location"] == f"/proyek/{project.pk}/?langkah=1&opd=7#step-panel"
    assert client.get(f"/proyek/{project.pk}/langkah/1/draf/")["Location"] == (
        f"/proyek/{project.pk}/?langkah=1#step-panel"
    )
    # Another address that only takes a form says so in Indonesian, with a way back.
    other = client.get(reverse("notifications:read-all"))
    assert other.status_code == 405 and "Alamat ini untuk mengirim formulir" in other.text
    assert 'href="/"' in other.text
