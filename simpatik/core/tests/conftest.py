import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache


def _serve(hits):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path.startswith("/pindah/"):
                self.send_response(302)
                self.send_header("Location", self.path.removeprefix("/pindah/").replace("|", "/"))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"RAHASIA-INTERNAL"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def recorder():
    """A local HTTP server that records every request made to it: (address, paths).

    `/pindah/<url with | for />` answers 302 to that url."""
    hits = []
    server = _serve(hits)
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def other_recorder():
    hits = []
    server = _serve(hits)
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """These tests ask the token endpoint for many tokens (schemathesis fuzzes it too); its
    per-address throttle lives in the process cache, so leave it as each test found it empty."""
    cache.clear()
    yield
    cache.clear()
