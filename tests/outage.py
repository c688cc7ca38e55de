"""A database outage a test can switch on and off: a TCP relay to PostgreSQL it can cut, or
a path to the SQLite file it can take away."""

import contextlib
import socket
import threading
from pathlib import Path

from django.db import connection


class CuttableRelay:
    """Forwards 127.0.0.1:<port> to a server; `cut()` drops every connection and refuses new
    ones until `restore()`, as a database restart or a network blip would."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> int:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self.port

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for end in self._open:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                    end.close()
                except OSError:
                    pass
            self._open.clear()

    def restore(self) -> None:
        if self._listener is None:
            self.start()


class DatabaseDoor:
    """Shut and open the worker's way to the database, whichever backend runs the suite."""

    def __init__(self, tmp_path: Path) -> None:
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            self.relay = CuttableRelay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
            port = self.relay.start()
            self.url = f"postgres://{db['USER']}@127.0.0.1:{port}/{db['NAME']}"
        else:
            self.relay = None
            database = Path(db["NAME"])
            self.link = tmp_path / "door"
            self.target = database.parent
            self.url = f"sqlite:///{self.link / database.name}"

    def shut(self) -> None:
        if self.relay is not None:
            self.relay.cut()
        elif self.link.exists():
            self.link.unlink()

    def open(self) -> None:
        if self.relay is not None:
            self.relay.restore()
        elif not self.link.exists():
            self.link.symlink_to(self.target)
