"""The proxy in front of decap-server: every request passes unchanged, except the photos in it.

Requests are passed one at a time: decap-server serialises them itself, but gives up on one
that waited 3 seconds, which on a site of 10,000 bulletins is shorter than listing them takes
(a form opened while the list loads would fail); here they wait as long as they need.

Decap sends an upload as base64 inside the JSON of `persistMedia` (or of
`persistEntry`, with the bulletin that uses it); each is reduced (photos.py)
before decap-server writes and commits it.  Requests go over HTTP to the
server on 127.0.0.1, with the standard library's client.
"""
from __future__ import annotations

import base64
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .photos import reduce

MAX_BODY = 64 * 1024 * 1024          # decap-server's own limit is 50 MB of JSON
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def reduce_assets(body: bytes) -> bytes:
    """The request body with each base64 asset reduced; anything else as it came."""
    try:
        request = json.loads(body)
        params = request.get("params") or {}
        assets = ([params["asset"]] if isinstance(params.get("asset"), dict) else []) + \
            [a for a in params.get("assets") or [] if isinstance(a, dict)]
    except (ValueError, AttributeError, TypeError):
        return body
    changed = False
    for asset in assets:
        if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            continue
        data = base64.b64decode(asset["content"])
        smaller = reduce(data)
        if smaller is not data:
            asset["content"] = base64.b64encode(smaller).decode("ascii")
            changed = True
    return json.dumps(request).encode() if changed else body


class _Handler(BaseHTTPRequestHandler):
    upstream = ("127.0.0.1", 8081)
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):   # the preview's log is the editor's; requests are noise there
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b""
        if self.command == "POST" and body:
            body = reduce_assets(body)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        conn = http.client.HTTPConnection(*self.upstream, timeout=600)
        try:
            with self.one_at_a_time:
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
        except OSError:
            self.send_error(502)
            return
        finally:
            conn.close()
        try:
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in HOP_HEADERS:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):   # the editor's tab closed before the answer
            self.close_connection = True

    do_GET = do_POST = do_OPTIONS = _forward


def serve_proxy(host: str, upstream: str) -> ThreadingHTTPServer:
    """A proxy on `host` (a free port) to `upstream`; the caller runs serve_forever and stops it."""
    target = urlsplit(upstream)
    handler = type("Handler", (_Handler,), {"upstream": (target.hostname, target.port),
                                            "one_at_a_time": threading.Lock()})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    return server
