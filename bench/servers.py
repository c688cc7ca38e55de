"""Starts and stops the gunicorn servers of the benchmark, and reads their workers' memory.

Both servers use the repository's `gunicorn.conf.py` (the production configuration) with the
same worker count, on loopback, with the access log off. Only the processes started here are
ever signalled, by their own process ids.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running gunicorn master started by the benchmark."""

    name: str
    app: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    workers: list[int] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(
    name: str, app: str, *, workers: int, env: dict[str, str], log_dir: Path, probe: str
) -> Server:
    """Start `gunicorn -c gunicorn.conf.py APP` and wait until `probe` answers 200."""
    port = free_port()
    log = log_dir / f"{name}.log"
    server_env = {
        **os.environ,
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        # Empty: gunicorn.conf.py turns it into accesslog=None, no per-request log line.
        "GUNICORN_ACCESS_LOG": "",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app],
            cwd=ROOT,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name=name, app=app, port=port, process=process, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} server exited at start:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.base_url + probe, timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    else:
        stop(server)
        raise RuntimeError(f"{name} server did not answer {probe} in 60 s:\n{server.log_tail()}")
    # Every worker must have booted, not just the first one that answered.
    deadline = time.monotonic() + 30
    while len(server.workers) < workers and time.monotonic() < deadline:
        server.workers = children(process.pid)
        time.sleep(0.1)
    return server


def stop(server: Server) -> None:
    """Graceful stop of the master we started (it stops its workers); kill it if it hangs."""
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (gunicorn's workers of a master)."""
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return sorted(int(p) for p in listing.read_text().split())
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces: the fields after its closing parenthesis.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) of a process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def memory_mb(pid: int) -> dict[str, float]:
    """Peak and current RSS, and the proportional (PSS) and private shares, in MiB.

    RSS counts the pages a worker shares with the master (the preloaded app) in full; PSS
    and private memory say how much of it is really the worker's own.
    """
    figures: dict[str, float] = {}
    sources = {
        "status": {"VmHWM:": "peak_rss", "VmRSS:": "rss"},
        "smaps_rollup": {"Pss:": "pss", "Private_Clean:": "private", "Private_Dirty:": "private"},
    }
    for source, fields in sources.items():
        try:
            text = Path(f"/proc/{pid}/{source}").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            parts = line.split()
            if parts and parts[0] in fields:
                name = fields[parts[0]]
                figures[name] = figures.get(name, 0.0) + int(parts[1]) / 1024
    return {name: round(value, 1) for name, value in figures.items()}


def workers_peak_rss(server: Server) -> dict[int, float]:
    """Peak RSS of each current worker of `server`, by pid."""
    peaks = {}
    for pid in children(server.process.pid):
        rss = peak_rss_mb(pid)
        if rss is not None:
            peaks[pid] = rss
    return peaks
