import pytest

from simpatik.inventory.similarity import similar, tokens


def test_indonesian_words_are_stemmed_and_synonyms_joined():
    assert tokens("Aplikasi Kepegawaian") == ["pegawai"]
    assert tokens("data SDM dan ASN") == ["data", "pegawai", "pegawai"]
    assert "pegawai" in tokens("SIMPEG")
    assert tokens("pelayanan perizinan") == ["layan", "izin"]


@pytest.mark.parametrize(
    ("query", "expected_top"),
    [
        ("aplikasi kepegawaian", "SIMPEG"),
        ("data SDM pemerintah", "SIMPEG"),
        ("presensi pegawai", "Absensi Online"),
        ("surat menyurat elektronik", "Srikandi"),
        ("pengelolaan aset daerah", "SIMBADA"),
        ("izin usaha", "Perizinan Online"),
        ("kanal aspirasi masyarakat", "LAPOR"),
        ("peraturan daerah", "JDIH"),
    ],
)
def test_the_right_application_ranks_first(inventory, query, expected_top):
    results = similar(query)
    assert results, query
    assert results[0].id == inventory[expected_top].pk, [(r.nama, r.score) for r in results]


def test_ranking_orders_scores_and_names_the_matched_words(inventory):
    results = similar("sistem antrian pasien puskesmas")
    assert {r.id for r in results[:2]} == {
        inventory["SIMPUS"].pk,
        inventory["Antrean Online RSUD"].pk,
    }
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert 0 < results[-1].score <= results[0].score <= 1
    assert "antrian" in results[0].matched or "puskesmas" in results[0].matched
    kepegawaian = similar("aplikasi kepegawaian")[0]
    assert kepegawaian.matched == ["kepegawaian"]


def test_nothing_similar_gives_an_empty_list(inventory):
    assert similar("kucing terbang") == []
    assert similar("") == []


def test_index_follows_changes_to_the_inventory(inventory, kasie):
    from simpatik.inventory import services

    assert similar("perpustakaan digital") == []
    services.update_application(
        inventory["JDIH"], actor=kasie, changes={"deskripsi": "Perpustakaan hukum dan peraturan"}
    )
    assert similar("perpustakaan")[0].id == inventory["JDIH"].pk
    services.archive_application(inventory["JDIH"], actor=kasie, reason="Digabung ke portal")
    assert all(r.id != inventory["JDIH"].pk for r in similar("perpustakaan peraturan"))
