"""A local HTTP proxy that lets the Elasticsearch Python client talk to the CI OpenSearch node.

Why it exists: the suite's only search engine is a single OpenSearch node built from Maven
Central jars (ci/opensearch); Elasticsearch itself is neither a Debian nor a PyPI package. The
official ``elasticsearch`` client (8.x and 9.x) refuses any server that does not answer with
``X-Elastic-Product: Elasticsearch``, and it sends ``Accept`` / ``Content-Type`` as
``application/vnd.elasticsearch+json; compatible-with=N`` (``+x-ndjson`` for bulk), which
OpenSearch does not accept. This proxy sits between the two on 127.0.0.1 and:

* rewrites those request media types to plain ``application/json`` / ``application/x-ndjson``;
* adds ``X-Elastic-Product: Elasticsearch`` to every response;
* passes methods, paths, query strings, bodies and status codes through unchanged.

The client does not look at the version number in ``GET /`` (8.x and 9.x only check the
header), so the proxy leaves the root response alone.

What a passing test through this proxy proves: our request bodies (index settings with a
custom whitespace analyzer, bulk actions, match_phrase, terms aggregations, delete_by_query)
and the real client's serialisation, transport, error handling and helpers (``helpers.bulk``,
the DSL's ``Search`` / ``Q`` / ``A``) work end to end against a real engine that speaks the
same REST API for these endpoints.

What it does not prove: that Elasticsearch behaves the same. It is not Elasticsearch. Scoring
and relevance details, query types and features newer than the API the two share, security
(users, API keys, TLS), and the product check itself (which the proxy fakes) all differ or go
untested here. Run against a real Elasticsearch cluster before relying on any of those.

Standard library only: ``http.server.ThreadingHTTPServer`` in a background thread, bound to a
free port on 127.0.0.1, forwarding with ``http.client``.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import threading
import urllib.parse

# application/vnd.elasticsearch+json; compatible-with=8  ->  application/json
_COMPAT_MEDIA_TYPE = re.compile(
    r"application/vnd\.elasticsearch\+([A-Za-z0-9.-]+)\s*;\s*compatible-with\s*=\s*\d+"
)

# Headers that describe one hop of the connection, not the message: never forwarded.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


def plain_media_type(value: str) -> str:
    """Turn the client's compatible-with media types into the plain ones OpenSearch accepts."""
    return _COMPAT_MEDIA_TYPE.sub(r"application/\1", value)


class EsCompatProxy:
    """A running proxy in front of ``upstream_url``; use as a context manager or start/stop."""

    def __init__(self, upstream_url: str, *, timeout: float = 60.0) -> None:
        parsed = urllib.parse.urlsplit(upstream_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"not an http(s) URL: {upstream_url!r}")
        self.upstream_scheme = parsed.scheme
        self.upstream_host = parsed.hostname
        self.upstream_port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.timeout = timeout
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the proxy is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> EsCompatProxy:
        handler = type("Handler", (_ProxyHandler,), {"proxy": self})
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="es-compat-proxy", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> EsCompatProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def connect(self) -> http.client.HTTPConnection:
        if self.upstream_scheme == "https":
            return http.client.HTTPSConnection(
                self.upstream_host, self.upstream_port, timeout=self.timeout
            )
        return http.client.HTTPConnection(
            self.upstream_host, self.upstream_port, timeout=self.timeout
        )


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    proxy: EsCompatProxy  # set on the subclass that EsCompatProxy.start() makes
    protocol_version = "HTTP/1.1"  # keep-alive, as the client expects

    def do_GET(self) -> None:
        self._forward()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF after each chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _forward(self) -> None:
        body = self._read_body()
        headers = {}
        for name, value in self.headers.items():
            lower = name.lower()
            if lower in _HOP_BY_HOP or lower in ("host", "content-length"):
                continue
            if lower in ("accept", "content-type"):
                value = plain_media_type(value)
            headers[name] = value
        headers["Host"] = f"{self.proxy.upstream_host}:{self.proxy.upstream_port}"
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))

        connection = self.proxy.connect()
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status, reason = response.status, response.reason
            response_headers = response.getheaders()
        except OSError as error:
            self._send(502, "Bad Gateway", [("Content-Type", "application/json")], _gateway(error))
            return
        finally:
            connection.close()

        kept = [
            (name, value)
            for name, value in response_headers
            if name.lower() not in _HOP_BY_HOP and name.lower() != "x-elastic-product"
        ]
        kept.append(("X-Elastic-Product", "Elasticsearch"))
        self._send(status, reason, kept, payload)

    def _send(self, status: int, reason: str, headers: list, payload: bytes) -> None:
        self.send_response(status, reason)
        for name, value in headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        if self.command == "HEAD":
            # No body; keep the length the engine announced for it.
            length = next((v for n, v in headers if n.lower() == "content-length"), "0")
            self.send_header("Content-Length", length)
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _gateway(error: OSError) -> bytes:
    reason = f"upstream unreachable: {error}"
    return json.dumps({"error": {"type": "proxy_error", "reason": reason}, "status": 502}).encode()
