"""A throwaway PostgreSQL primary and a streaming standby of it, on loopback ports.

The shared server allows no replication connections, so the replica tests run a primary of
their own (`initdb`, `pg_ctl` from the installed PostgreSQL) and copy it with
`pg_basebackup -R` into a standby that streams its WAL and replays it after
`recovery_min_apply_delay`. PostgreSQL will not run as root: as root, its programs run as the
`postgres` user, in a directory that user owns.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.servers import free_port


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed (pg_ctl)")
    return found[-1].parent


@dataclass
class Cluster:
    directory: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class StandbyPair:
    """A primary and its standby; `start()` makes both, `close()` stops and removes them."""

    def __init__(self, root: Path, *, apply_delay_seconds: float) -> None:
        self.root = root
        self.bin = _bin_dir()
        self.delay = apply_delay_seconds
        self.primary = Cluster(root / "primary", free_port())
        self.standby = Cluster(root / "standby", free_port())

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def _configure(self, cluster: Cluster, *lines: str) -> None:
        with (cluster.directory / "postgresql.conf").open("a") as conf:
            conf.write("\n".join([f"port = {cluster.port}", *lines, ""]))

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(
            "initdb", "-D", str(self.primary.directory), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self._configure(
            self.primary,
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.root}'",
            "wal_level = replica",
            "max_wal_senders = 4",
            "fsync = off",  # a throwaway cluster: speed over durability
        )
        with (self.primary.directory / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.start_primary()
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
            "-D", str(self.standby.directory), "-R", "-X", "stream",
        )  # fmt: skip
        self._configure(self.standby, f"recovery_min_apply_delay = '{int(self.delay * 1000)}ms'")
        self.start_standby()

    def _pg_ctl(self, cluster: Cluster, action: str) -> None:
        log = self.root / f"{cluster.directory.name}.log"
        extra = ["-m", "immediate"] if action == "stop" else ["-l", str(log)]
        self._run("pg_ctl", "-D", str(cluster.directory), "-w", *extra, action)

    def start_primary(self) -> None:
        self._pg_ctl(self.primary, "start")

    def stop_primary(self) -> None:
        self._pg_ctl(self.primary, "stop")

    def start_standby(self) -> None:
        self._pg_ctl(self.standby, "start")

    def stop_standby(self) -> None:
        self._pg_ctl(self.standby, "stop")

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.primary.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')

    def close(self) -> None:
        for cluster in (self.standby, self.primary):
            if (cluster.directory / "postmaster.pid").exists():
                self._pg_ctl(cluster, "stop")
        shutil.rmtree(self.root, ignore_errors=True)
