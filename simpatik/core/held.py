"""Files a person chose in a form that failed for another reason, held for the form's next send.

A browser cannot fill a file field again: without this, a form sent back for a missing name
comes back without its file, and corrected and sent again it goes without it. A held file lies
under SIMPATIK_VAR_DIR/held by its SHA-256 for a day (`simpatik cleanup` and the housekeeping
job remove older ones); the form carries a signed token naming it, its name and type, and the
person who chose it: another person's token, an altered one or an expired one holds nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from simpatik.core.files import remove_older

HOURS = 24
_SALT = "simpatik.core.held"
_DIGEST = re.compile(r"[0-9a-f]{64}")


def folder() -> Path:
    return Path(settings.VAR_DIR) / "held"


@dataclass(frozen=True)
class Held:
    token: str
    name: str
    size: int


def hold(content: bytes, *, name: str, mime: str, owner: int) -> Held:
    """Keep `content` (already checked as an upload) for `owner`'s next send of the form."""
    digest = hashlib.sha256(content).hexdigest()
    root = folder()
    root.mkdir(mode=0o700, exist_ok=True)
    path = root / digest
    if path.exists():
        os.utime(path)  # held again: its day starts anew
    else:
        partial = root / f".{digest}.{os.getpid()}"
        partial.write_bytes(content)
        partial.chmod(0o600)
        partial.replace(path)
    token = signing.dumps({"d": digest, "n": name, "m": mime, "o": owner}, salt=_SALT)
    return Held(token, name, len(content))


def take(token: str, *, owner: int) -> SimpleUploadedFile | None:
    """The file a token holds for `owner`, as if uploaded again; None when it holds nothing."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=HOURS * 3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("o") != owner:
        return None
    digest = str(data.get("d", ""))
    if not _DIGEST.fullmatch(digest):
        return None
    try:
        content = (folder() / digest).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != digest:
        return None
    return SimpleUploadedFile(str(data.get("n", "")), content, str(data.get("m", "")))


def sweep(hours: float = HOURS) -> int:
    """Remove held files older than `hours`; returns how many."""
    return remove_older(folder(), hours)
