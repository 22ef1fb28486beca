"""A loopback TCP proxy in front of the shared PostgreSQL server, so that a test can cause a
database outage (or a network cut the server does not notice) without touching the server."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``upstream``. ``cut`` drops every connection and refuses
    new ones (an outage: the server sees its sessions end); ``partition`` does the same to the
    clients but keeps the server's side open (a cut the server has not noticed yet: its sessions,
    and their locks, live on). ``restore`` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._orphans: set[socket.socket] = set()  # server sides a partition keeps open
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.add((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with self._lock:
                    if s in self._orphans:
                        continue
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def _drop(self, keep_server_side: bool) -> None:
        assert self._listener is not None
        # shutdown first: a bare close does not wake the thread blocked in accept(), and the
        # kernel would go on accepting connections for it.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._listener = None
        with self._lock:
            pairs, self._pairs = self._pairs, set()
            if keep_server_side:
                self._orphans |= {server for _, server in pairs}
        for client, server in pairs:
            for s in (client,) if keep_server_side else (client, server):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()

    def cut(self) -> None:
        self._drop(keep_server_side=False)

    def partition(self) -> None:
        self._drop(keep_server_side=True)

    def close(self) -> None:
        if self._listener is not None:
            self.cut()
        with self._lock:
            orphans, self._orphans = self._orphans, set()
        for s in orphans:
            with contextlib.suppress(OSError):
                s.close()


@pytest.fixture
def proxied_postgres(postgres_server_url: str) -> Iterator[tuple[str, TcpProxy]]:
    """An empty migrated PostgreSQL database reached through a TcpProxy: (its URL, the proxy)."""
    from tests.conftest import _empty_postgres

    _empty_postgres(postgres_server_url)
    url = make_url(postgres_server_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    finally:
        proxy.close()
