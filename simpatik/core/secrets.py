"""Secrets on disk: written owner-only, never world-readable, even for a moment."""

import os
import secrets
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    """Create (or replace) `path` with mode 0600 from the start: no window where others may read."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def development_key(path: Path) -> str:
    """A SECRET_KEY for DEBUG runs, made once and kept, so sessions survive a restart."""
    if not path.exists():
        write_private(path, secrets.token_urlsafe(50).encode())
    path.chmod(0o600)
    return path.read_text().strip()


def private_sqlite(sender, connection, **kwargs):
    """connection_created: the SQLite file and its journals are the server's alone (0600)."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(name + "-wal"), Path(name + "-shm"), Path(name + "-journal")):
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except FileNotFoundError:
            continue
