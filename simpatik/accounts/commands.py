"""Commands run as a named person (`--as USER`, else SIMPATIK_OPERATOR), checked like anyone."""

from django.contrib.auth import get_user_model
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


def version_loader(options, *, unchanged: bool):
    """Who loads a new version of a file-defined thing (the SOP, the SPBE mapping): nobody for
    the very first installation (no administrator yet) or for content already loaded, else an
    administrator named by `--as` (a CommandError otherwise)."""
    if unchanged or not get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
        return None
    actor = operator_from(options)
    if not permissions.can(actor, "administrasi"):
        raise CommandError(f"Pengguna '{actor.username}' bukan administrator.")
    return actor
