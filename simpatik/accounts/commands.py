"""Commands run as a named person (`--as USER`, else SIMPATIK_OPERATOR), checked like anyone."""

from django.core.management.base import CommandError

from simpatik.accounts import permissions
from simpatik.core.errors import SimpatikError


def add_operator_argument(parser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="PENGGUNA",
        help="pengguna yang menjalankan perintah (bawaan: SIMPATIK_OPERATOR)",
    )


def operator_from(options, action: str | None = None, obj=None):
    """The user the command runs as; with `action`, one who may do it (else a CommandError)."""
    try:
        user = permissions.operator(options.get("as_user"))
    except SimpatikError as exc:
        raise CommandError(exc.message) from exc
    if action is not None and not permissions.can(user, action, obj):
        raise CommandError(f"Pengguna '{user.username}' tidak berwenang ({action}).")
    return user
