"""Benchmark: similar-application search over 10,000 generated records (target p95 < 20 ms).

Prints median and p95 milliseconds of a top-5 query through `similar()` (index lookup plus the
query that checks the index is current), the index build time, and the ratio to a brute-force
scan of every record's tokens measured in the same run.
Run: .venv/bin/python bench/similar.py [--records N] [--queries N]
"""

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
os.environ["SIMPATIK_VAR_DIR"] = tempfile.mkdtemp(prefix="simpatik-bench-")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from report import result  # noqa: E402

SUBJECTS = [
    "kepegawaian",
    "keuangan",
    "aset",
    "perizinan",
    "kependudukan",
    "kesehatan",
    "pendidikan",
    "persuratan",
    "arsip",
    "pengaduan",
    "pajak",
    "retribusi",
    "perencanaan",
    "statistik",
    "gizi",
    "bantuan sosial",
    "pertanian",
    "perikanan",
    "pariwisata",
    "perhubungan",
    "lingkungan",
    "perpustakaan",
    "kebudayaan",
    "olahraga",
    "pemuda",
    "koperasi",
    "perdagangan",
    "industri",
    "tenaga kerja",
    "transmigrasi",
    "bencana",
    "kebakaran",
    "pemakaman",
    "air bersih",
    "sampah",
]
KINDS = [
    "sistem informasi",
    "aplikasi",
    "portal",
    "layanan",
    "e-",
    "sistem",
    "dashboard",
    "monitoring",
]
VERBS = [
    "pendataan",
    "pengelolaan",
    "pelaporan",
    "pemantauan",
    "pendaftaran",
    "penilaian",
    "pencatatan",
    "verifikasi",
    "validasi",
    "publikasi",
    "antrian",
    "penjadwalan",
    "rekapitulasi",
]
OBJECTS = [
    "pegawai",
    "penduduk",
    "warga",
    "pasien",
    "siswa",
    "desa",
    "kecamatan",
    "usaha",
    "petani",
    "nelayan",
    "kendaraan",
    "bangunan",
    "dokumen",
    "anggaran",
    "barang",
    "kegiatan",
    "program",
]


def generate(count: int, rng: random.Random):
    from simpatik.accounts.models import Opd
    from simpatik.inventory.models import Application
    from simpatik.inventory.similarity import search_text_for

    opds = [Opd.objects.create(kode=f"opd{i}", nama=f"OPD Bench {i}") for i in range(40)]
    batch = []
    for index in range(count):
        subject = rng.choice(SUBJECTS)
        nama = f"{rng.choice(KINDS)} {subject} {index}"
        deskripsi = " ".join(
            [
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                subject,
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                "di",
                rng.choice(SUBJECTS),
            ]
        )
        app = Application(nama=nama, deskripsi=deskripsi, opd=rng.choice(opds))
        app.search_text = search_text_for(app)
        batch.append(app)
    from django.db import transaction

    from simpatik.inventory.similarity import bump_revision

    with transaction.atomic():
        Application.objects.bulk_create(batch, batch_size=1000)
        bump_revision()


def brute_force(rows, text):
    """Baseline: score every record against the query, no inverted index."""
    from simpatik.inventory.similarity import tokens

    wanted = set(tokens(text))
    scored = []
    for pk, _nama, search_text in rows:
        words = search_text.split()
        overlap = sum(1 for w in words if w in wanted)
        if overlap:
            scored.append((overlap / math.sqrt(len(words)), pk))
    scored.sort(reverse=True)
    return scored[:5]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(20261128)
    started = time.perf_counter()
    generate(args.records, rng)
    print(f"generated {args.records} records in {time.perf_counter() - started:.1f} s")

    from simpatik.inventory.models import Application
    from simpatik.inventory.similarity import current_index, similar

    started = time.perf_counter()
    current_index()
    print(f"index build: {(time.perf_counter() - started) * 1000:.0f} ms")
    queries = [
        f"aplikasi {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(SUBJECTS)}"
        for _ in range(args.queries)
    ]
    timings = []
    for text in queries:
        started = time.perf_counter()
        similar(text, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
    rows = list(Application.objects.values_list("id", "nama", "search_text"))
    baseline = []
    for text in queries[:50]:
        started = time.perf_counter()
        brute_force(rows, text)
        baseline.append((time.perf_counter() - started) * 1000)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"similar() top-5: median {median:.2f} ms, p95 {p95:.2f} ms (target p95 < 20 ms)")
    print(f"brute-force scan: median {statistics.median(baseline):.2f} ms")
    ratio = median / statistics.median(baseline)
    print(f"ratio (indexed / brute-force, median): {ratio:.2f}")
    result(
        "similar",
        f"similar() top-5 / brute-force scan (p95 {p95:.1f} ms)",
        "sqlite",
        ratio,
        "p95 < 20 ms",
        p95 < 20,
    )


if __name__ == "__main__":
    main()
