"""Draft revisions: stored and checked like any version, in force for nobody until loaded."""

import pytest
from django.conf import settings

from simpatik.audit.models import AuditRecord
from simpatik.sop.definition import DefinitionError
from simpatik.sop.models import SopVersion
from simpatik.sop.services import active_version, load_definition, save_draft

pytestmark = pytest.mark.django_db


def _revised(text: str) -> str:
    return text.replace('tanggal_revisi: ""', "tanggal_revisi: Juli 2026", 1)


def test_a_draft_leaves_the_active_version_in_force(sop, kadis):
    text = _revised(settings.SIMPATIK_SOP_DEFINITION.read_text())
    draft = save_draft(text, actor=kadis, note="uji")
    assert (draft.version, draft.draf, draft.berlaku) == (sop.version + 1, True, False)
    assert active_version().pk == sop.pk
    assert AuditRecord.objects.filter(
        action="sop.version.drafted", object_id=str(draft.pk)
    ).exists()
    assert save_draft(text, actor=kadis).pk == draft.pk  # the same text again: nothing new


def test_loading_the_drafts_text_puts_that_draft_in_force(sop, kadis):
    text = _revised(settings.SIMPATIK_SOP_DEFINITION.read_text())
    draft = save_draft(text, actor=kadis)
    result = load_definition(text, actor=kadis, via="cli")
    assert result.created and result.version.pk == draft.pk
    assert (result.version.berlaku, result.version.draf) == (True, False)
    assert active_version().pk == draft.pk and SopVersion.objects.count() == 2


def test_a_draft_goes_through_the_loaders_checks(sop, kadis):
    text = settings.SIMPATIK_SOP_DEFINITION.read_text().replace("waktu: 1\n", "waktu: satu\n", 1)
    with pytest.raises(DefinitionError):
        save_draft(text, actor=kadis)
    assert SopVersion.objects.count() == 1


def test_an_administrator_puts_a_draft_in_force_from_the_versions_page(sop, kadis):
    from django.test import Client

    from simpatik.testing.personas import make_user

    draft = save_draft(_revised(settings.SIMPATIK_SOP_DEFINITION.read_text()), actor=kadis)
    client = Client()
    client.force_login(kadis)
    assert client.post("/sop/", {"draf": draft.pk}).status_code == 403
    assert 'name="draf"' not in client.get("/sop/").content.decode()
    admin = make_user("admin", [])
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert f'name="draf" value="{draft.pk}"' in client.get("/sop/").content.decode()
    assert client.post("/sop/", {"draf": "x"}).status_code == 400  # nothing named: nothing loads
    assert active_version().pk == sop.pk
    assert client.post("/sop/", {"draf": draft.pk}).status_code == 302
    assert active_version().pk == draft.pk
