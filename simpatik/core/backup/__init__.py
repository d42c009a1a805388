"""Backups that restore: one archive with everything an installation holds, checked on the way back.

Archive (tar.gz): `manifest.json` first (format, when, database kind, SHA-256 of every other
member), then `database/`, `media/`, `git/`, `pki/`, `dns/` and `sop/` (the SOP versions as
YAML, for people: the database holds them too).
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""
