"""Finding applications like a proposed one: Indonesian text normalised, then TF-IDF cosine.

Text is lowercased, split into words, government abbreviations are expanded (SIMPEG ->
sistem informasi manajemen kepegawaian), stop words dropped, words stemmed with Sastrawi and
mapped to a canonical synonym (kepegawaian ~ SDM ~ ASN). Every application's tokens are kept in
`search_text`; the index is an inverted TF-IDF built once per change of the inventory.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# Abbreviations common in the names of Indonesian government applications.
ABBREVIATIONS = {
    "simpeg": "sistem informasi manajemen kepegawaian",
    "sipd": "sistem informasi pemerintahan daerah",
    "simda": "sistem informasi manajemen daerah keuangan",
    "siskeudes": "sistem keuangan desa",
    "sakip": "sistem akuntabilitas kinerja instansi pemerintah",
    "sirup": "sistem informasi rencana umum pengadaan",
    "lpse": "layanan pengadaan secara elektronik",
    "spse": "sistem pengadaan secara elektronik",
    "sikd": "sistem informasi kearsipan dinamis",
    "srikandi": "sistem informasi kearsipan dinamis terintegrasi persuratan",
    "ppid": "pejabat pengelola informasi dokumentasi keterbukaan informasi publik",
    "jdih": "jaringan dokumentasi informasi hukum peraturan",
    "simpus": "sistem informasi manajemen puskesmas kesehatan",
    "dapodik": "data pokok pendidikan sekolah",
    "bmd": "barang milik daerah aset",
    "simbada": "sistem informasi barang daerah aset",
    "sipkd": "sistem informasi pengelolaan keuangan daerah",
    "dukcapil": "kependudukan pencatatan sipil",
    "adminduk": "administrasi kependudukan",
    "oss": "online single submission perizinan berusaha",
    "ekinerja": "kinerja pegawai",
    "sppd": "surat perintah perjalanan dinas",
    "tte": "tanda tangan elektronik",
    "lapor": "layanan aspirasi pengaduan",
}
# Stems that mean the same thing in application names; each maps to the first of its group.
SYNONYM_GROUPS = [
    ["pegawai", "sdm", "asn", "pns", "aparatur", "personel"],
    ["hadir", "absensi", "absen", "presensi"],
    ["antre", "antri", "antrian"],
    ["surat", "naskah", "persuratan"],
    ["arsip", "kearsipan"],
    ["adu", "aduan", "keluh", "aspirasi"],
    ["izin", "perizinan"],
    ["duduk", "penduduk", "kependudukan"],
    ["uang", "keuangan", "anggaran"],
    ["aset", "barang", "inventaris"],
    ["sehat", "kesehatan", "puskesmas", "simpus"],
    ["didik", "sekolah", "pendidikan"],
    ["gaji", "penggajian", "upah"],
    ["layan", "pelayanan"],
]
# Words too common in application names to tell them apart.
DOMAIN_STOP_WORDS = {
    "aplikasi",
    "sistem",
    "informasi",
    "manajemen",
    "berbasis",
    "online",
    "daring",
    "elektronik",
    "kabupaten",
    "bolaang",
    "mongondow",
    "utara",
    "bolmut",
    "pemerintah",
    "daerah",
    "pemda",
    "terintegrasi",
    "terpadu",
    "digital",
    "web",
    "android",
    "e",
}

_CANONICAL = {word: group[0] for group in SYNONYM_GROUPS for word in group}
_WORD = re.compile(r"[a-z0-9]+")
_stemmer = StemmerFactory().create_stemmer()
_STOP_WORDS = set(StopWordRemoverFactory().get_stop_words()) | DOMAIN_STOP_WORDS


@lru_cache(maxsize=50000)
def _stem(word: str) -> str:
    return _stemmer.stem(word) if len(word) > 3 and not word.isdigit() else word


def analyse(text: str) -> list[tuple[str, str]]:
    """(original word, canonical token) pairs for a text; one word can give several tokens."""
    pairs = []
    for word in _WORD.findall((text or "").lower()):
        expanded = ABBREVIATIONS.get(word)
        parts = _WORD.findall(expanded) if expanded else [word]
        if expanded:
            pairs.append((word, word))  # the abbreviation itself also matches
        for part in parts:
            if part in _STOP_WORDS:
                continue
            stem = _stem(part)
            if stem in _STOP_WORDS:
                continue
            pairs.append((word, _CANONICAL.get(stem, _CANONICAL.get(part, stem))))
    return pairs


def tokens(text: str) -> list[str]:
    return [token for _word, token in analyse(text)]


def search_text_for(application) -> str:
    # The name counts twice: it says more about what an application is than its description.
    name = " ".join(tokens(f"{application.nama} {application.singkatan}"))
    return " ".join([name, name, " ".join(tokens(application.deskripsi))]).strip()


@dataclass
class Match:
    id: int
    nama: str
    score: float
    matched: list[str]


class Index:
    """Inverted TF-IDF index over (id, nama, search_text) rows."""

    def __init__(self, rows):
        self.names: dict[int, str] = {}
        self.token_sets: dict[int, frozenset[str]] = {}
        postings: dict[str, dict[int, int]] = {}
        for pk, nama, text in rows:
            self.names[pk] = nama
            self.token_sets[pk] = frozenset(text.split())
            for token in text.split():
                bucket = postings.setdefault(token, {})
                bucket[pk] = bucket.get(pk, 0) + 1
        count = max(len(self.names), 1)
        self.idf = {t: math.log((1 + count) / (1 + len(docs))) + 1 for t, docs in postings.items()}
        norms: dict[int, float] = {}
        for token, docs in postings.items():
            for pk, tf in docs.items():
                norms[pk] = norms.get(pk, 0.0) + (tf * self.idf[token]) ** 2
        self.postings = {
            token: [(pk, tf * self.idf[token] / math.sqrt(norms[pk])) for pk, tf in docs.items()]
            for token, docs in postings.items()
        }

    def search(self, text: str, limit: int = 5, minimum: float = 0.05) -> list[Match]:
        pairs = analyse(text)
        weights: dict[str, float] = {}
        words_of: dict[str, set[str]] = {}
        for word, token in pairs:
            if token in self.idf:
                weights[token] = weights.get(token, 0.0) + self.idf[token]
                words_of.setdefault(token, set()).add(word)
        if not weights:
            return []
        norm = math.sqrt(sum(w * w for w in weights.values()))
        scores: defaultdict[int, float] = defaultdict(float)
        for token, weight in weights.items():
            query_weight = weight / norm
            for pk, doc_weight in self.postings[token]:
                scores[pk] += query_weight * doc_weight
        # Matched words are worked out for the few results only, not for every posting visited.
        best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
        return [
            Match(
                pk,
                self.names[pk],
                round(score, 4),
                sorted(
                    {
                        word
                        for token in weights
                        if token in self.token_sets[pk]
                        for word in words_of[token]
                    }
                ),
            )
            for pk, score in best
            if score >= minimum
        ]


_lock = threading.Lock()
_cached: tuple[str | None, Index] | None = None


def bump_revision() -> None:
    """Mark the inventory changed; call inside the transaction of every change to it."""
    from simpatik.inventory.models import IndexRevision

    IndexRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def current_index() -> Index:
    """The index of live applications, rebuilt when the inventory's revision token changed.

    Reading one row is what keeps a query cheap; aggregating over every application to detect
    a change cost more than the search itself.
    """
    from simpatik.inventory.models import Application, IndexRevision

    token = IndexRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    global _cached
    with _lock:
        if _cached is None or _cached[0] != token:
            rows = Application.objects.active().values_list("id", "nama", "search_text")
            _cached = (token, Index(rows))
        return _cached[1]


def similar(text: str, limit: int = 5) -> list[Match]:
    return current_index().search(text, limit=limit)
