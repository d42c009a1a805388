"""Benchmark: an official letter rendered and signed, first after start and warm.

A letter here is what completing its step does outside the database: the context built from the
project, the template rendered to PDF by WeasyPrint, and the PAdES signature by the official's key.
Measured in the same run:
- warm p50 against a baseline: WeasyPrint rendering a one-line page plus pyHanko signing it with
  a key loaded once (the least any letter can cost on this machine), and against 0.25 s;
- the first letter of fresh processes started as the web server and the worker start (with
  `warm()`), against the warm p50; and, for comparison, fresh processes without `warm()`;
- the CPU time of a letter beside its wall time: on a shared machine the wall time stretches with
  the load (printed too), the CPU time much less. Each letter has its own number and
  verification code, as real ones do (a new QR code, new digits to lay out).
Run: .venv/bin/python bench/letters.py [--letters 20] [--processes 3]   (SQLite in a temporary
directory: a letter's cost does not depend on the database)
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpatik.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("SIMPATIK_VAR_DIR", tempfile.mkdtemp(prefix="simpatik-bench-letters-"))

import django  # noqa: E402

django.setup()

from report import result  # noqa: E402

KIND = "surat_perintah"


def _letter_parts():
    """The open step-1 run of the bench project and its Kadis, as completing it would see them."""
    from django.contrib.auth import get_user_model

    from simpatik.projects.models import StepRun

    run = StepRun.objects.select_related("project__sop_version").get(
        status="berjalan", step_number=1
    )
    run.values = {"rujukan_usulan": "Surat Dinas Bench 800/1/2026"}
    return run, get_user_model().objects.get(username="kadis")


def one_letter(run, user, serial: int = 1) -> tuple[float, float, float, float]:
    """(total, render, sign, CPU) seconds for one letter; each serial its own number and code,
    as every real letter has (a new QR code, new digits to lay out)."""
    from simpatik.letters import contexts
    from simpatik.letters.kinds import KINDS, tanggal_indonesia
    from simpatik.letters.render import qr_data_uri, render_pdf, verification_url
    from simpatik.letters.signing import get_signer

    kind = KINDS[KIND]
    code = f"BENCH-{serial:05d}"
    cpu = time.process_time()
    started = time.perf_counter()
    context = contexts.build(kind.key, run, user)
    context["letter"] = {
        "title": kind.title,
        "number": f"800.1.11.1/{serial}/DKI/XI/2026",
        "date_text": tanggal_indonesia(run.opened_at.date()),
        "verification_code": code,
        "verification_url": verification_url(code),
        "qr": qr_data_uri(verification_url(code)),
    }
    rendered = time.perf_counter()
    pdf = render_pdf(kind.key, context)
    signing = time.perf_counter()
    get_signer().sign(pdf, user, reason=kind.title)
    done = time.perf_counter()
    return done - started, signing - rendered, done - signing, time.process_time() - cpu


def _baseline_once(signer) -> float:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from weasyprint import HTML

    started = time.perf_counter()
    pdf = HTML(string="<p>Naskah dinas</p>").write_pdf()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="TTE-1", md_algorithm="sha256")
    signers.sign_pdf(writer, meta, signer=signer)
    return time.perf_counter() - started


def child(warm: bool) -> None:
    """A fresh process: start as the server does (optionally warming), then one letter."""
    started = time.perf_counter()
    if warm:
        from simpatik.letters.warmup import warm as warm_up

        warm_up()
    start_cost = time.perf_counter() - started
    run, user = _letter_parts()
    total, render, sign, cpu = one_letter(run, user)
    print(
        json.dumps(
            {"start": start_cost, "total": total, "render": render, "sign": sign, "cpu": cpu}
        )
    )


def _fresh_process(warm: bool) -> dict:
    command = [sys.executable, __file__, "--child", "warm" if warm else "cold"]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=20)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--child", choices=["warm", "cold"])
    args = parser.parse_args()
    if args.child:
        child(args.child == "warm")
        return

    from django.core.management import call_command
    from generate import generate

    from simpatik.letters.pki import enroll, init_ca

    load_before = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    generate(1, audit_per_project=5, open_step=1)
    run, user = _letter_parts()
    init_ca()
    enroll(user)

    firsts = [_fresh_process(warm=True) for _ in range(args.processes)]
    colds = [_fresh_process(warm=False) for _ in range(args.processes)]

    from pyhanko.sign import signers

    from simpatik.letters.pki import enroll as identity
    from simpatik.letters.warmup import warm

    warm()
    one_letter(run, user)
    letters = [one_letter(run, user, serial) for serial in range(2, args.letters + 2)]
    p12_path, secret = identity(user)
    bare_signer = signers.SimpleSigner.load_pkcs12_data(
        p12_path.read_bytes(), other_certs=[], passphrase=secret
    )
    _baseline_once(bare_signer)
    baseline = statistics.median(_baseline_once(bare_signer) for _ in range(args.letters))

    def p50(rows, index):
        return statistics.median(row[index] for row in rows)

    warm_p50 = p50(letters, 0)
    first_p50 = statistics.median(f["total"] for f in firsts)
    cold_p50 = statistics.median(f["total"] for f in colds)
    start_p50 = statistics.median(f["start"] for f in firsts)
    first_cpu = statistics.median(f["cpu"] for f in firsts)
    ms = 1000
    print(
        f"letter warm p50: {warm_p50 * ms:.0f} ms (render {p50(letters, 1) * ms:.0f} ms, "
        f"sign {p50(letters, 2) * ms:.0f} ms) over {args.letters} letters; "
        f"CPU {p50(letters, 3) * ms:.0f} ms a letter"
    )
    print(
        f"first letter after start with warm(): p50 {first_p50 * ms:.0f} ms over "
        f"{args.processes} processes, CPU {first_cpu * ms:.0f} ms "
        f"(warm() itself {start_p50 * ms:.0f} ms at start)"
    )
    print(f"first letter after start without warm(): p50 {cold_p50 * ms:.0f} ms")
    print(
        f"baseline (bare WeasyPrint one-line page + bare pyHanko sign): p50 {baseline * ms:.0f} ms"
    )
    print(f"ratio warm letter / baseline: {warm_p50 / baseline:.2f}")
    print(
        f"ratio first / warm: {first_p50 / warm_p50:.2f} (without warm(): {cold_p50 / warm_p50:.2f};"
        f" in CPU time {first_cpu / p50(letters, 3):.2f})"
    )
    # Two cores shared by many: wall times stretch with the load, CPU times much less.
    print(f"machine load (1 min) {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    result(
        "letters",
        f"letter p50 / bare render+sign ({warm_p50 * ms:.0f} ms)",
        "-",
        warm_p50 / baseline,
        "p50 < 250 ms",
        warm_p50 < 0.25,
    )
    result(
        "letters",
        "first letter / warm letter",
        "-",
        first_p50 / warm_p50,
        "<= 1.5",
        first_p50 / warm_p50 <= 1.5,
    )


if __name__ == "__main__":
    main()
