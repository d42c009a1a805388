"""Write and read back the one-file backup; see the package docstring for its layout."""

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from simpatik.core.backup import BackupError, database

FORMAT = 1
MANIFEST = "manifest.json"


def directories() -> dict[str, Path]:
    """The installation's own directories, by their name in the archive."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "git": Path(settings.SIMPATIK_GIT_ROOT),
        "pki": Path(settings.SIMPATIK_PKI_DIR),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def _stage_dns(stage: Path) -> dict:
    from simpatik.provisioning.dns import get_provider
    from simpatik.provisioning.dns.zonefile import current_serial, zone_text

    zone = settings.SIMPATIK_DNS_ZONE
    target = stage / "dns"
    target.mkdir()
    (target / "zone.txt").write_text(zone_text(zone))
    info = {
        "zone": zone,
        "serial": current_serial(zone),
        "provider": settings.SIMPATIK_DNS_PROVIDER,
    }
    if settings.SIMPATIK_DNS_PROVIDER == "powerdns":
        exported = get_provider("powerdns").export_zone(zone)
        (target / "powerdns.json").write_text(json.dumps(exported, indent=1, sort_keys=True))
    return info


def _stage_sop(stage: Path) -> None:
    from simpatik.sop.models import SopVersion

    target = stage / "sop"
    target.mkdir()
    for version in SopVersion.objects.order_by("kode", "version"):
        (target / f"{version.kode}-v{version.version}.yaml").write_text(version.source)


def create(target: Path) -> dict:
    """Write the archive to `target` (atomically: a half-written backup never has its name)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".simpatik-backup-") as tmp:
        stage = Path(tmp) / "stage"
        stage.mkdir()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": connection.vendor,
                "file": "database/" + database.dump(stage / "database"),
            },
        }
        for name, source in directories().items():
            if source.is_dir():
                shutil.copytree(source, stage / name, symlinks=True)
        manifest["dns"] = _stage_dns(stage)
        _stage_sop(stage)
        manifest["files"] = _files(stage)
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(stage / MANIFEST, arcname=MANIFEST)
            # Directories too: a git repository is broken without its empty refs/ folders.
            for path in sorted(stage.rglob("*")):
                name = path.relative_to(stage).as_posix()
                if path.is_dir() or name in manifest["files"]:
                    archive.add(path, arcname=name, recursive=False)
        partial.replace(target)
    return manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Keep the `keep` newest `simpatik-*.tar.gz` in `directory`; returns what was removed."""
    archives = sorted(directory.glob("simpatik-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def _extract(archive: Path, stage: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", devices and links leaving the stage.
            tar.extractall(stage, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Arsip cadangan tidak dapat dibaca: {exc}") from exc
    try:
        manifest = json.loads((stage / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("Arsip cadangan tidak memuat manifest.json yang sah.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
    return manifest


def verify(stage: Path, manifest: dict) -> None:
    """Every file present with its SHA-256, and nothing more."""
    actual, expected = _files(stage), manifest.get("files", {})
    problems = [
        f"berubah: {name}" for name in expected if name in actual and actual[name] != expected[name]
    ]
    problems += [f"hilang: {name}" for name in expected if name not in actual]
    problems += [f"tidak tercatat: {name}" for name in actual if name not in expected]
    if problems:
        raise BackupError(
            "Manifest tidak cocok; tidak ada yang dipulihkan:\n  " + "\n  ".join(problems[:20])
        )


def _occupied() -> list[str]:
    found = [] if database.is_empty() else ["basis data berisi data"]
    for name, path in directories().items():
        if path.is_dir() and any(p.is_file() for p in path.rglob("*")):
            found.append(f"{name}: {path} tidak kosong")
    zonefile = settings.SIMPATIK_DNS_ZONEFILE_PATH
    if zonefile and Path(zonefile).exists():
        found.append(f"berkas zona {zonefile} sudah ada")
    return found


def fsck(git_root: Path) -> list[str]:
    """`git fsck` every repository; returns the problems found."""
    problems = []
    for repository in sorted(git_root.glob("*.git")) if git_root.is_dir() else []:
        result = subprocess.run(
            ["git", "fsck", "--full", "--no-progress"],
            cwd=repository,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            problems.append(f"{repository.name}: {result.stderr.strip()[:300]}")
    return problems


def restore(archive: Path) -> dict:
    """Restore into an empty installation; refuses, changing nothing, when it is not empty."""
    with tempfile.TemporaryDirectory(prefix=".simpatik-restore-") as tmp:
        stage = Path(tmp)
        manifest = _extract(archive, stage)
        verify(stage, manifest)
        occupied = _occupied()
        if occupied:
            raise BackupError(
                "Pemulihan hanya ke instalasi kosong; ditemukan: " + "; ".join(occupied)
            )
        database.load(stage / manifest["database"]["file"], manifest["database"]["vendor"])
        for name, target in directories().items():
            if (stage / name).is_dir():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copytree(stage / name, target, symlinks=True, dirs_exist_ok=True)
        restore_dns(stage)
    return manifest


def restore_dns(stage: Path) -> None:
    """Rewrite the zone file from the restored database; put PowerDNS' rrsets back."""
    from simpatik.provisioning.dns import get_provider
    from simpatik.provisioning.dns.zonefile import zone_text

    zonefile = settings.SIMPATIK_DNS_ZONEFILE_PATH
    if zonefile:
        Path(zonefile).write_text(zone_text(settings.SIMPATIK_DNS_ZONE))
    exported = stage / "dns" / "powerdns.json"
    if settings.SIMPATIK_DNS_PROVIDER == "powerdns" and exported.exists():
        get_provider("powerdns").import_zone(json.loads(exported.read_text()))
