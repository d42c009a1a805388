"""What a hand-kept spreadsheet writes, matched to SIMPATIK's records: OPDs and developer sources.

OPDs: exact name, abbreviation, code or a learnt alias first; then the same name written
another way (lower case, abbreviations written out, "dan", "Kabupaten" and the regency's own
name dropped: "Dinas Kesehatan Kabupaten Bolaang Mongondow Utara" is "Dinas Kesehatan"); then an
acronym of the name ("BKPSDM"); then rapidfuzz's token_set_ratio over what tells OPDs apart,
without the words every OPD name shares ("Dinas", "Badan", "Daerah"). Over whole names "Dinas
Perikanan" scored 87 against "Dinas Pertanian", a different agency; over "perikanan" and
"pertanian" it scores 78. token_set_ratio scores a subset 100, so a fuzzy match is accepted only
at 88 or more and 5 ahead of the next OPD (shared/RECIPES-2.md measured right matches at 97 or
more; "pertanahan"/"pertanian", the closest wrong pair found, scores 84).

Developer sources: the spreadsheet's "Pengembang" is words ("Pusat", "Kemendagri", "SIPD",
"CV Maju", "Dinas Kesehatan"); they are classified by the tables below, or by how the same words
are already classified in the inventory; anything else is asked.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from simpatik.accounts.models import Opd
from simpatik.inventory.models import Application, OpdAlias
from simpatik.inventory.spreadsheet import normalize_header

ACCEPT, LEAD, SUGGEST = 88, 5, 60

# Abbreviations written inside OPD names, spelled out before comparing.
ABBREVIATIONS = {
    "sdm": "sumber daya manusia",
    "psdm": "pengembangan sumber daya manusia",
    "kominfo": "komunikasi informatika",
    "diskominfo": "dinas komunikasi informatika",
    "pupr": "pekerjaan umum penataan ruang",
    "pu": "pekerjaan umum",
    "dukcapil": "kependudukan pencatatan sipil",
    "disdukcapil": "dinas kependudukan pencatatan sipil",
    "kesbangpol": "kesatuan bangsa politik",
    "setda": "sekretariat daerah",
    "sekda": "sekretariat daerah",
    "setwan": "sekretariat dprd",
    "ptsp": "pelayanan terpadu satu pintu",
    "dpmptsp": "dinas penanaman modal pelayanan terpadu satu pintu",
    "pmd": "pemberdayaan masyarakat desa",
    "umkm": "usaha mikro kecil menengah",
    "ukm": "usaha kecil menengah",
    "bpbd": "badan penanggulangan bencana daerah",
    "dinkes": "dinas kesehatan",
    "disdik": "dinas pendidikan",
    "rsud": "rumah sakit umum daerah",
    "kb": "keluarga berencana",
}
_STOP = {"dan", "kabupaten", "kab", "kota", "pemerintah", "pemkab", "pemda", "provinsi", "prov"}
# Words most OPD names share: they say what kind of body it is, not which one.
_GENERIC = {"dinas", "badan", "kantor", "sekretariat", "bagian", "unit", "satuan", "kerja"}
_GENERIC |= {"daerah", "upt", "uptd", "bidang"}


def _regency_words() -> set[str]:
    """The regency's own name (SIMPATIK_KOP_PEMERINTAH): sheets add it to OPD names."""
    return set(normalize_header(settings.SIMPATIK_KOP.get("pemerintah", "")).split())


def norm(text: str) -> str:
    """An OPD name as compared: lower case, abbreviations spelled out, filler words dropped."""
    drop = _STOP | _regency_words()
    words = []
    for word in normalize_header(text).split():
        words += ABBREVIATIONS.get(word, word).split()
    return " ".join(word for word in words if word not in drop)


def core(normalized: str) -> str:
    """What tells one OPD from another: a normalised name without the words they all share."""
    return " ".join(word for word in normalized.split() if word not in _GENERIC)


def initials(name: str) -> str:
    """Initials of an OPD name; a word written in capitals (SDM, PUPR) is kept whole."""
    letters = []
    for word in re.findall(r"[A-Za-z0-9]+", name or ""):
        if word.lower() in _STOP:
            continue
        letters.append(word.lower() if word.isupper() and len(word) > 1 else word[0].lower())
    return "".join(letters)


@dataclass
class OpdMatch:
    """A way the file writes an OPD and what it was matched to (or proposed as)."""

    text: str
    key: str
    opd: Opd | None = None
    score: int = 0
    method: str = ""  # nama, singkatan, kode, alias, ejaan, akronim, mirip, pilihan, baru
    suggestions: list[tuple[Opd, int]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    # For a new OPD: the name it is made with. "Dinas Pertanian" and "DINAS PERTANIAN KABUPATEN
    # BOLAANG MONGONDOW UTARA" make one OPD, named as first written.
    new_name: str = ""

    @property
    def create(self) -> bool:
        return self.method == "baru"

    @property
    def learnt(self) -> bool:
        """Matched some other way than by the OPD's own name, code or an alias already kept."""
        return self.opd is not None and self.method in {"akronim", "mirip", "pilihan"}

    @property
    def method_label(self) -> str:
        return {
            "nama": _("nama"),
            "singkatan": _("singkatan"),
            "kode": _("kode"),
            "alias": _("alias tersimpan"),
            "ejaan": _("nama yang ditulis lain"),
            "akronim": _("akronim nama"),
            "mirip": _("kemiripan nama"),
            "pilihan": _("pilihan Anda"),
            "baru": _("OPD baru"),
        }.get(self.method, _("belum dikenal"))


class OpdMatcher:
    """The OPDs and aliases as they stand, read once per import."""

    def __init__(self):
        self.opds = {opd.pk: opd for opd in Opd.objects.all()}
        self.exact: dict[str, tuple[Opd, str]] = {}
        self.spelled: dict[str, Opd] = {}
        self.acronyms: dict[str, set[int]] = {}
        self.names: list[tuple[str, int]] = []
        for opd in self.opds.values():
            for value, method in ((opd.singkatan, "singkatan"), (opd.kode, "kode")):
                if value:
                    self.exact.setdefault(normalize_header(value), (opd, method))
            self.exact[normalize_header(opd.nama)] = (opd, "nama")
            for acronym in {
                normalize_header(opd.singkatan).replace(" ", ""),
                initials(opd.nama),
                initials(norm(opd.nama)),
            }:
                if len(acronym) >= 3:
                    self.acronyms.setdefault(acronym, set()).add(opd.pk)
            self.names.append((core(norm(opd.nama)), opd.pk))
            self.spelled.setdefault(norm(opd.nama), opd)
        for alias in OpdAlias.objects.select_related("opd"):
            self.exact.setdefault(alias.key, (alias.opd, "alias"))
            self.names.append((core(norm(alias.text)), alias.opd_id))

    def match(self, text: str) -> OpdMatch:
        key = normalize_header(text)
        found = OpdMatch(text=text, key=key)
        if key in self.exact:
            found.opd, found.method = self.exact[key]
            found.score = 100
            return found
        if " " not in key and key in self.acronyms and len(self.acronyms[key]) == 1:
            found.opd, found.method, found.score = (
                self.opds[next(iter(self.acronyms[key]))],
                "akronim",
                100,
            )
            return found
        query = norm(text)
        if query and query in self.spelled:
            found.opd, found.method, found.score = self.spelled[query], "ejaan", 100
            return found
        query = core(query)
        best: dict[int, int] = {}
        if query:
            for name, pk in self.names:
                score = round(fuzz.token_set_ratio(query, name)) if name else 0
                best[pk] = max(best.get(pk, 0), score)
        ranked = sorted(best.items(), key=lambda item: (-item[1], self.opds[item[0]].nama))
        found.suggestions = [(self.opds[pk], score) for pk, score in ranked[:3] if score >= SUGGEST]
        if ranked:
            top_pk, top = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0
            found.score = top
            if top >= ACCEPT and top - runner_up >= LEAD:
                found.opd, found.method = self.opds[top_pk], "mirip"
        return found

    def by_choice(self, match: OpdMatch, choice: str) -> None:
        """Apply a person's answer: an OPD's id, "baru" for a new OPD, "" to leave it open."""
        if choice == "baru":
            match.opd, match.method = None, "baru"
        elif choice.isascii() and choice.isdigit() and int(choice) in self.opds:
            opd = self.opds[int(choice)]
            if opd != match.opd:
                match.opd, match.method = opd, "pilihan"
        elif choice == "":
            match.opd, match.method = None, ""
        else:
            raise ValueError(choice)


# Developer sources. Each value is compared without case, punctuation or spacing.
Source = Application.Pengembang
_CLASS_WORDS = {
    Source.DISKOMINFO: ["internal", "internal diskominfo", "diskominfo", "swakelola diskominfo"],
    Source.OPD: ["opd", "perangkat daerah", "swakelola opd", "opd sendiri", "dinas terkait"],
    Source.PIHAK_KETIGA: ["pihak ketiga", "vendor", "swasta", "rekanan", "konsultan", "penyedia"],
    Source.PUSAT: [
        "pusat",
        "pemerintah pusat",
        "kementerian lembaga",
        "k l",
        "kementerian",
        "aplikasi umum",
        "aplikasi pusat",
    ],
    Source.KOMUNITAS: [
        "komunitas",
        "open source",
        "opensource",
        "sumber terbuka",
        "produk komunitas",
    ],
}
# Applications regencies run that someone else makes: (class, who makes it, or "").
PRODUCTS = {
    "sipd": (Source.PUSAT, "Kemendagri"),
    "sipkd": (Source.PUSAT, "Kemendagri"),
    "siak": (Source.PUSAT, "Kemendagri"),
    "srikandi": (Source.PUSAT, "ANRI"),
    "e office": (Source.PUSAT, ""),
    "simda": (Source.PUSAT, "BPKP"),
    "siskeudes": (Source.PUSAT, "BPKP"),
    "spse": (Source.PUSAT, "LKPP"),
    "lpse": (Source.PUSAT, "LKPP"),
    "sirup": (Source.PUSAT, "LKPP"),
    "e katalog": (Source.PUSAT, "LKPP"),
    "siasn": (Source.PUSAT, "BKN"),
    "mysapk": (Source.PUSAT, "BKN"),
    "sapk": (Source.PUSAT, "BKN"),
    "dapodik": (Source.PUSAT, "Kemendikbudristek"),
    "sakti": (Source.PUSAT, "Kemenkeu"),
    "p care": (Source.PUSAT, "BPJS Kesehatan"),
    "pcare": (Source.PUSAT, "BPJS Kesehatan"),
    "satusehat": (Source.PUSAT, "Kemenkes"),
    "satu sehat": (Source.PUSAT, "Kemenkes"),
    "aspak": (Source.PUSAT, "Kemenkes"),
    "oss": (Source.PUSAT, "Kementerian Investasi/BKPM"),
    "oss rba": (Source.PUSAT, "Kementerian Investasi/BKPM"),
    "simbg": (Source.PUSAT, "Kementerian PUPR"),
    "siks ng": (Source.PUSAT, "Kemensos"),
    "emis": (Source.PUSAT, "Kemenag"),
    "inlislite": (Source.PUSAT, "Perpusnas"),
    "span lapor": (Source.PUSAT, "KemenPANRB"),
    "moodle": (Source.KOMUNITAS, ""),
    "wordpress": (Source.KOMUNITAS, ""),
    "joomla": (Source.KOMUNITAS, ""),
    "drupal": (Source.KOMUNITAS, ""),
    "opensid": (Source.KOMUNITAS, ""),
    "nextcloud": (Source.KOMUNITAS, ""),
    "ojs": (Source.KOMUNITAS, ""),
    "open journal systems": (Source.KOMUNITAS, ""),
    "slims": (Source.KOMUNITAS, ""),
    "simrs khanza": (Source.KOMUNITAS, ""),
    "khanza": (Source.KOMUNITAS, ""),
    "ckan": (Source.KOMUNITAS, ""),
    "mediawiki": (Source.KOMUNITAS, ""),
    "dspace": (Source.KOMUNITAS, ""),
    "glpi": (Source.KOMUNITAS, ""),
    "zabbix": (Source.KOMUNITAS, ""),
    "grafana": (Source.KOMUNITAS, ""),
    "odoo": (Source.KOMUNITAS, ""),
    "jitsi": (Source.KOMUNITAS, ""),
    "rocket chat": (Source.KOMUNITAS, ""),
}
# Ministries and national agencies, by the abbreviations sheets use.
AGENCIES = {
    "bkn", "lkpp", "bps", "anri", "bssn", "bpkp", "bpjs", "bnpb", "bpom", "bappenas", "lan",
    "komdigi", "kpu", "bpn", "perpusnas", "bmkg", "brin", "bkkbn", "ombudsman", "ditjen", "djp",
    "panrb", "menpan", "menpanrb", "kemkominfo", "kemdikbud", "kemdikbudristek", "kemkes",
    "kemnaker", "kemhan", "kemlu", "kemdes", "kemkumham", "ri", "nasional", "negara",
}  # fmt: skip
_COMPANY = {"pt", "cv", "ud", "tbk", "firma", "perusahaan", "kontraktor", "startup"}
_INTERNAL = {"diskominfo", "kominfo"}


@dataclass
class DeveloperSource:
    """A way the file writes who built an application, and the class it is put in."""

    text: str
    key: str
    klass: str = ""
    reason: str = ""
    class_only: bool = False  # the words name the class itself ("Pusat"): no name to keep
    chosen: bool = False  # a person chose the class
    rows: list[int] = field(default_factory=list)

    @property
    def klass_label(self) -> str:
        return Source(self.klass).label if self.klass else ""


class DeveloperClassifier:
    def __init__(self, opds: OpdMatcher):
        self.opds = opds
        self.words = {}
        for klass, words in _CLASS_WORDS.items():
            for word in [klass.value, klass.label, *words]:
                self.words[normalize_header(word)] = klass.value
        self.recorded: dict[str, str] = {}
        seen = Counter(
            (normalize_header(nama), klass)
            for nama, klass in Application.objects.exclude(pengembang="")
            .exclude(pengembang_nama="")
            .values_list("pengembang_nama", "pengembang")
        )
        for (key, klass), _count in sorted(seen.items(), key=lambda item: item[1]):
            self.recorded[key] = klass  # the most frequent class wins

    def classify(self, text: str) -> DeveloperSource:
        found = self._classify(text)
        found.klass = str(found.klass or "")  # the stored value, not the enum member
        return found

    def _classify(self, text: str) -> DeveloperSource:
        key = normalize_header(text)
        found = DeveloperSource(text=text, key=key)
        words = key.split()
        if key in self.words:
            found.klass, found.class_only = self.words[key], True
            found.reason = _("nama kelasnya")
            return found
        for start in range(len(words)):
            for length in (3, 2, 1):
                product = " ".join(words[start : start + length])
                if product in PRODUCTS:
                    found.klass, owner = PRODUCTS[product]
                    found.reason = (
                        _("produk %(owner)s") % {"owner": owner}
                        if owner
                        else _("produk yang dikenal")
                    )
                    return found
        if _COMPANY & set(words):
            found.klass, found.reason = Source.PIHAK_KETIGA, _("badan usaha (PT/CV)")
        elif (
            any(w.startswith("kemen") for w in words) or AGENCIES & set(words) or ("pusat" in words)
        ):
            found.klass, found.reason = Source.PUSAT, _("nama kementerian/lembaga")
        elif _INTERNAL & set(words) or "dinas komunikasi" in key:
            found.klass, found.reason = Source.DISKOMINFO, _("Diskominfo")
        elif "open source" in key or "opensource" in words or "komunitas" in words:
            found.klass, found.reason = Source.KOMUNITAS, _("sumber terbuka")
        else:
            opd = self.opds.match(text)
            if opd.opd is not None:
                if "komunikasi informatika" in norm(opd.opd.nama):
                    found.klass = Source.DISKOMINFO
                else:
                    found.klass = Source.OPD
                found.reason = _("OPD %(opd)s") % {"opd": opd.opd}
            elif key in self.recorded:
                found.klass = self.recorded[key]
                found.reason = _("seperti dicatat di inventaris")
        return found
