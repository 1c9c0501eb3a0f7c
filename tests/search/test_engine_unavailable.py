"""An engine that is down or slow answers within the timeout, with SearchUnavailable."""

import socket
import threading
import time

import pytest

from opengov_cms.search.backends.base import SearchUnavailable


def backend_class(name):
    if name == "opensearch":
        pytest.importorskip("opensearchpy")
        from opengov_cms.search.backends.engine import OpenSearchBackend

        return OpenSearchBackend
    pytest.importorskip("elasticsearch")
    from opengov_cms.search.backends.engine import ElasticsearchBackend

    return ElasticsearchBackend


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    connections = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connections.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in connections:
        connection.close()
    server.close()


@pytest.mark.parametrize("name", ["opensearch", "elasticsearch"])
def test_an_engine_that_is_down_is_unavailable(db, name, closed_port):
    backend = backend_class(name)(HOSTS=[f"http://127.0.0.1:{closed_port}"], TIMEOUT=1)
    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        backend.search("公开")
    assert time.monotonic() - started < 3
    with pytest.raises(SearchUnavailable):
        backend.index([{"id": "a", "title": "公开"}])


@pytest.mark.parametrize("name", ["opensearch", "elasticsearch"])
def test_a_slow_engine_is_unavailable_after_the_timeout(db, name, silent_server):
    backend = backend_class(name)(HOSTS=[f"http://127.0.0.1:{silent_server}"], TIMEOUT=0.5)
    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        backend.search("公开")
    assert 0.4 < time.monotonic() - started < 3


@pytest.mark.parametrize("name", ["opensearch", "elasticsearch"])
def test_fallback_to_the_database(db, name, closed_port):
    backend = backend_class(name)(
        HOSTS=[f"http://127.0.0.1:{closed_port}"], TIMEOUT=1, FALLBACK_TO_DATABASE=True
    )
    # The database index is written first, so it has the document while the engine is down.
    with pytest.raises(SearchUnavailable):
        backend.index([{"id": "a", "title": "政府信息公开指南", "body": "财政预算"}])
    results = backend.search("信息公开")
    assert results.backend == "database"
    assert results.ids == ["a"]
    assert backend.search("预算").ids == ["a"]
    with pytest.raises(SearchUnavailable):
        backend.delete(["a"])
    assert backend.search("信息公开").ids == []
