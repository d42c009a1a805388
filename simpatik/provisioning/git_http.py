"""git over smart HTTP for local repositories, behind SIMPATIK's own authentication.

Who may do what follows the SOP: the project's Tim Pengembang pushes; Tim Teknis and the
Diskominfo officials read; nobody else sees the repository. Credentials are the user's
SIMPATIK username with their password or their API token (HTTP Basic).
"""

import base64

from django.contrib.auth import authenticate
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from simpatik.accounts import lockout, mfa
from simpatik.accounts.api.auth import user_for_token
from simpatik.accounts.permissions import can
from simpatik.core.limits import limit_for, too_large
from simpatik.provisioning.models import Repository
from simpatik.provisioning.repos.local import repository_path


def _basic_credentials(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        username, _sep, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return username, secret


def _user_from_basic(request):
    """The user named by HTTP Basic, or None; a refusal (locked out) as a TooManyFailures."""
    credentials = _basic_credentials(request)
    if credentials is None:
        return None
    username, secret = credentials
    try:
        lockout.check(request, username)
    except lockout.TooManyFailures:
        lockout.refused(request, username, via="git")
        raise
    user = None
    if username and secret and "\x00" not in username + secret:
        user = authenticate(request, username=username, password=secret)
        if user is not None and (mfa.mfa_enabled(user) or mfa.must_enrol(user)):
            # With a second factor (or one overdue), a password alone is not enough: git takes
            # an API token, which was issued against the second factor.
            user = None
        if user is None:
            owner = user_for_token(secret)
            user = owner if owner is not None and owner.username == username else None
    if user is None:
        lockout.failed(request, username, via="git")
    else:
        lockout.succeeded(username)
    return user


def _challenge(message="Masuk dengan nama pengguna dan kata sandi (atau token) SIMPATIK."):
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Basic realm="SIMPATIK git"'
    return response


def may_push(user, repository) -> bool:
    return can(user, "dorong_repositori", repository)


def may_read(user, repository) -> bool:
    return can(user, "baca_repositori", repository)


@csrf_exempt
def git_http(request, name, path):
    repository = Repository.objects.filter(
        name=name, provider="local", status=Repository.Status.SIAP
    ).first()
    try:
        user = _user_from_basic(request)
    except lockout.TooManyFailures as exc:
        return HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
    if user is None:
        return _challenge()
    if repository is None or not may_read(user, repository):
        # Not found and not allowed look the same: a stranger learns nothing about the repository.
        return HttpResponse(
            "Repositori tidak ditemukan.", status=404, content_type="text/plain; charset=utf-8"
        )
    writing = path.endswith("git-receive-pack") or request.GET.get("service") == "git-receive-pack"
    if writing and not may_push(user, repository):
        return HttpResponse(
            "Hanya anggota tim proyek ini yang berwenang mengirim kode yang boleh push.",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return _serve(request, repository, path)


def _serve(request, repository, path):
    from dulwich.repo import Repo
    from dulwich.server import DictBackend
    from dulwich.web import make_wsgi_chain

    environ = dict(request.environ)
    environ["PATH_INFO"] = "/" + path
    environ["SCRIPT_NAME"] = ""
    if environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
        # git sends bodies over 1 MB chunked. gunicorn has de-chunked it already and dulwich must
        # not decode it twice; servers that pass the raw stream (runserver) leave it to dulwich.
        # Counted as it is read and cut at the limit: it has no length to refuse it by up front.
        environ["wsgi.input"] = _Counted(
            _raw_input(request.environ["wsgi.input"]), limit_for(request.path)
        )
        if environ.get("SERVER_SOFTWARE", "").lower().startswith("gunicorn"):
            environ.pop("HTTP_TRANSFER_ENCODING")
    else:
        environ["wsgi.input"] = (
            request._stream
        )  # the body, bounded by Content-Length, unread so far
    repo = Repo(str(repository_path(repository.name)))
    app = make_wsgi_chain(DictBackend({"/": repo}))
    started, written = {}, []

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = headers
        return written.append  # dulwich writes much of its answer through this WSGI write()

    try:
        body = app(environ, start_response)
        # dulwich calls start_response only once its answer is iterated: run it to its first
        # chunk now, so the status and headers (the smart-protocol content type) are known.
        chunks = iter(body)
        first = next(chunks, b"")
    except BodyTooLarge as exc:
        return too_large(request, exc.limit)
    response = StreamingHttpResponse(
        _stream(written, first, chunks, body, repo), status=started.get("status", 200)
    )
    for header, value in started.get("headers", []):
        response[header] = value
    return response


class BodyTooLarge(Exception):
    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit


class _Counted:
    """A chunked push read through a counter: past the limit, reading stops with BodyTooLarge."""

    def __init__(self, stream, limit):
        self.stream, self.limit, self.count = stream, limit, 0

    def _add(self, data):
        self.count += len(data)
        if self.count > self.limit:
            raise BodyTooLarge(self.limit)
        return data

    def read(self, *args):
        return self._add(self.stream.read(*args))

    def readline(self, *args):
        return self._add(self.stream.readline(*args))


class _RawInput:
    """Django's own server caps wsgi.input at Content-Length, which a chunked body has not: read
    the connection itself, and let dulwich find the chunked body's end."""

    def __init__(self, limited):
        self.read, self.readline = limited._read, limited._readline


def _raw_input(stream):
    from django.core.handlers.wsgi import LimitedStream

    return _RawInput(stream) if isinstance(stream, LimitedStream) else stream


def _stream(written, first, chunks, body, repo):
    """dulwich's answer in order: what it wrote while producing a chunk comes before that chunk."""

    def drain():
        while written:
            yield written.pop(0)

    try:
        yield from drain()
        if first:
            yield first
        for chunk in chunks:
            yield from drain()
            if chunk:
                yield chunk
        yield from drain()
    finally:
        if hasattr(body, "close"):
            body.close()
        repo.close()
