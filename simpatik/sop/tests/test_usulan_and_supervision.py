"""The SOP data says what an OPD attaches to its usulan and which roles oversee others."""

import copy

from simpatik.sop.services import check_definition_text
from simpatik.sop.tests.test_loader import SEED, SEED_TEXT, _problems


def test_seed_names_the_daftar_kebutuhan_as_attachment_and_the_supervisors():
    definition = check_definition_text(SEED_TEXT)
    assert [item.key for item in definition.usulan_lampiran] == ["daftar_kebutuhan"]
    assert definition.supervised_by({"kadis"}) == {"kabid", "kasie", "pengembang", "teknis"}
    assert definition.supervised_by({"kasie"}) == {"pengembang", "teknis"}
    assert definition.resume_roles() == {"kabid"}


def test_an_attachment_no_step_asks_for_is_refused():
    data = copy.deepcopy(SEED)
    data["usulan"]["lampiran"].append({"key": "proposal", "kind": "document", "label": "Proposal"})
    assert "usulan lampiran 'proposal'" in _problems(data)


def test_an_unknown_key_under_usulan_is_refused():
    data = copy.deepcopy(SEED)
    data["usulan"]["lampirn"] = []
    assert "usulan: harus berupa pemetaan dengan lampiran saja" in _problems(data)


def test_supervising_an_unknown_role_is_refused():
    data = copy.deepcopy(SEED)
    data["roles"][0]["supervises"] = ["kabid", "camat"]
    assert "peran 'kadis': supervises" in _problems(data)
