"""Start-up checks: providers named in settings exist; with `--deploy`, secrets are present and kept
outside the data directory."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


def _inside_data_dir(name: str) -> bool:
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return False
    return Path(path).resolve().is_relative_to(Path(settings.VAR_DIR).resolve())


@register(Tags.security, deploy=True)
def secrets_outside_data_dir(app_configs, **kwargs):
    found = []
    if settings.SIMPATIK_SIGNER == "local" and not settings.SIMPATIK_KEY_ENCRYPTION_KEY:
        found.append(
            Warning(
                "SIMPATIK_KEY_ENCRYPTION_KEY belum diatur: kunci tanda tangan tidak dapat dibuka.",
                hint="Isi SIMPATIK_KEY_ENCRYPTION_KEY_FILE dengan berkas di luar direktori data.",
                id="simpatik.W001",
            )
        )
    for name in ("SECRET_KEY", "SIMPATIK_KEY_ENCRYPTION_KEY"):
        if _inside_data_dir(name):
            found.append(
                Warning(
                    f"{name}_FILE ada di dalam direktori data ({settings.VAR_DIR}).",
                    hint="Salinan direktori data (cadangan) tidak boleh memuat rahasianya sendiri.",
                    id="simpatik.W002",
                )
            )
    public = urlsplit(settings.SIMPATIK_PUBLIC_URL)
    if public.scheme != "https" or public.hostname in (None, "127.0.0.1", "localhost", "::1"):
        found.append(
            Warning(
                f"SIMPATIK_PUBLIC_URL={settings.SIMPATIK_PUBLIC_URL!r} bukan alamat publik HTTPS.",
                hint="Alamat ini dicetak pada setiap naskah dinas (kode QR dan alamat "
                "verifikasinya) dan tidak dapat diubah setelah ditandatangani: isi dengan "
                "alamat publik SIMPATIK, mis. https://simpatik.bolmutkab.go.id.",
                id="simpatik.W003",
            )
        )
    return found


@register()
def providers_known(app_configs, **kwargs):
    """A misspelt provider or signer stops the start, not the first repository or letter."""
    from simpatik.letters import signing
    from simpatik.provisioning import dns, repos

    found = []
    for setting, names in (
        ("SIMPATIK_REPO_PROVIDER", repos.NAMES),
        ("SIMPATIK_DNS_PROVIDER", dns.NAMES),
        ("SIMPATIK_SIGNER", signing.NAMES),
    ):
        value = getattr(settings, setting, None)
        if value not in names:
            found.append(
                Error(
                    f"{setting}={value!r} tidak dikenal.",
                    hint=f"Pilih salah satu: {', '.join(names)}.",
                    id="simpatik.E001",
                )
            )
    return found
